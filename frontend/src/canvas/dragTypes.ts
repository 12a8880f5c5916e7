/** What a palette item puts on a drag: the module's key, and optionally preset parameters as JSON. */
export const MODULE_DRAG_TYPE = 'application/x-trellis-module';
export const PARAMETERS_DRAG_TYPE = 'application/x-trellis-parameters';

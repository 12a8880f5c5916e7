/** Graph files dropped on the canvas or the pipelines list: read, checked by the server (which
 * upgrades old formats and names what is wrong), then added to the draft or made a pipeline. */
import { ApiError, api, errorMessage } from '../api/client';
import type { Graph, Problem } from '../api/types';
import { edgeFromGraph, nodeFromGraph } from '../canvas/graphFormat';
import { pasteGraph, type Selection } from '../canvas/editing';

export type ParsedFile = { document: unknown } | { error: string };

export function parseGraphText(fileName: string, text: string): ParsedFile {
  try {
    return { document: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: `${fileName} is not JSON: ${errorMessage(error)}` };
  }
}

/** Why the server would not read a file, naming each place in it that is wrong. */
export function refusalMessage(fileName: string, error: unknown): string {
  if (error instanceof ApiError && Array.isArray(error.body.errors) && error.body.errors.length > 0) {
    return `${fileName} is not a graph Trellis reads: ${error.body.errors.map(String).join('; ')}`;
  }
  return `${fileName} could not be read: ${errorMessage(error)}`;
}

/** "iris_split.json" becomes the pipeline "iris_split". */
export function pipelineNameOf(fileName: string): string {
  return fileName.replace(/\.json$/i, '').trim() || 'Imported pipeline';
}

export function carriesFiles(types: readonly string[]): boolean {
  return types.includes('Files');
}

export async function readDroppedFile(file: File): Promise<ParsedFile> {
  return parseGraphText(file.name, await file.text());
}

/** The graph in the current format, with its problems; throws an ApiError naming what is wrong. */
export function checkGraph(document: unknown): Promise<{ graph: Graph; problems: Problem[] }> {
  return api.post('/api/graphs/read/', { graph: document });
}

/** A dropped graph on the canvas: on an empty canvas it is the draft as it was (ids kept),
 * beside modules already there it is pasted like the clipboard (fresh ids), selected. */
export function importIntoCanvas(current: Selection, graph: Graph): Selection {
  if (current.nodes.length > 0) return pasteGraph(current, graph);
  return { nodes: graph.nodes.map(nodeFromGraph), edges: graph.edges.map(edgeFromGraph) };
}

/** The shapes of the datasets API (docs/api.md, "Datasets"). */
import type { OutputPreview, TableSchema } from '../api/types';

/** A table dataset, or a zip bundle of files (helper code for Execute Python Script). */
export type DatasetKind = 'table' | 'zip';

export interface ArchiveFile {
  name: string;
  size: number;
}

export interface DatasetVersion {
  number: number;
  /** The sha256 of the stored table: the version's identity. */
  digest: string;
  kind: DatasetKind;
  row_count: number;
  columns: TableSchema['columns'];
  /** A zip version's files, in path order; empty for a table. */
  files: ArchiveFile[];
  file_name: string;
  file_format: string;
  created_by: string | null;
  created_at: string;
  exported_by: { run: number; node: string } | null;
}

export interface DatasetSummary {
  id: number;
  workspace: number;
  name: string;
  description: string;
  created_at: string;
  version_count: number;
  latest: DatasetVersion | null;
}

export interface DatasetDetail extends DatasetSummary {
  /** Newest first. */
  versions: DatasetVersion[];
}

export interface UploadedVersion extends DatasetVersion {
  /** False when the upload held a table that already was a version. */
  created: boolean;
}

/** A version's preview: a table's rows and statistics, or a zip's files. */
export type VersionPreview = OutputPreview | { kind: 'files'; file_count: number; files: ArchiveFile[] };

export function kindOf(dataset: DatasetSummary): DatasetKind {
  return dataset.latest?.kind ?? 'table';
}

/** What a version holds, in a few words: "3 rows × 2 columns" or "2 files (zip)". */
export function versionContents(version: DatasetVersion): string {
  if (version.kind === 'zip') return `${version.files.length} file${version.files.length === 1 ? '' : 's'} (zip)`;
  return `${version.row_count} rows × ${version.columns.length} columns`;
}

export function shortDigest(digest: string): string {
  return digest.slice(0, 12);
}

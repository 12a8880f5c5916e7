/** The shapes of the datasets API (docs/api.md, "Datasets"). */
import type { TableSchema } from '../api/types';

export interface DatasetVersion {
  number: number;
  /** The sha256 of the stored table: the version's identity. */
  digest: string;
  row_count: number;
  columns: TableSchema['columns'];
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

export function shortDigest(digest: string): string {
  return digest.slice(0, 12);
}

/** "Download CSV" and "Download Parquet" for a stored table (a step's output or a dataset version). */
export function TableDownloads({ base }: { base: string }) {
  return (
    <p className="table-downloads">
      <a className="button" href={`${base}/csv/`} download data-testid="download-csv">
        Download CSV
      </a>
      <a className="button" href={`${base}/parquet/`} download data-testid="download-parquet">
        Download Parquet
      </a>
    </p>
  );
}

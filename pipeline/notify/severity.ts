/**
 * How serious a status is, for routing. The engine's statuses are GREEN,
 * AMBER and RED; any other string (a status added later, e.g. STALE for "no
 * data") is ranked with AMBER: worth a look, never silently dropped, never
 * paging like RED. The status string itself is passed on unchanged.
 */
export type Severity = 0 | 1 | 2;

export function severityOf(status: string): Severity {
  if (status === 'GREEN') return 0;
  if (status === 'RED') return 2;
  return 1;
}

export function isHealthy(status: string): boolean {
  return severityOf(status) === 0;
}

/**
 * What the page fetches from the gateway's REST API on demand, beside the
 * websocket: a model's latest full report, and a feature's points over the
 * history (the websocket's `history` carries neither, to stay small). The
 * page's token, when it has one, goes in the Authorization header.
 */
import type { DriftReport } from '../../pipeline/serde/drift-report.ts';
import { API_PREFIX, type ReportsResponse } from '../../services/gateway/messages.ts';
import type { SeriesColumns } from '../../services/gateway/report-series.ts';

export class GatewayApi {
  constructor(
    private readonly pageUrl: string,
    private readonly token: string | undefined,
  ) {}

  /** The model's full reports evaluated at or after `since` (its latest, when `since` is its latest evaluatedAt). */
  async reports(modelId: string, since: number): Promise<DriftReport[]> {
    const body = await this.get<ReportsResponse>(`models/${encodeURIComponent(modelId)}/reports`, { since: String(since) });
    return body.reports;
  }

  /** The model's points, with the named features. */
  series(modelId: string, features: readonly string[]): Promise<SeriesColumns> {
    return this.get<SeriesColumns>(`models/${encodeURIComponent(modelId)}/series`, { feature: features });
  }

  private async get<T>(path: string, params: Record<string, string | readonly string[]>): Promise<T> {
    const url = new URL(`${API_PREFIX}/${path}`, this.pageUrl);
    for (const [name, value] of Object.entries(params)) for (const v of typeof value === 'string' ? [value] : value) url.searchParams.append(name, v);
    const response = await fetch(url, { headers: this.token ? { authorization: `Bearer ${this.token}` } : {} });
    if (!response.ok) throw new Error(`GET ${url.pathname}: ${response.status} ${(await response.text()).slice(0, 200)}`);
    return (await response.json()) as T;
  }
}

/**
 * The dashboard page: keeps what the gateway pushes (report-store.ts), shows
 * every model's status, and for the selected model its features and
 * evidence. The websocket's history has only chart points, so the selected
 * model's latest full report and the shown feature's points are fetched when
 * first needed (once per history). Until the user picks a feature, the worst
 * one is shown. `?model=<id>` preselects a model. Redraws at most once a frame.
 */
import type { FeatureReport } from '../../pipeline/serde/drift-report.ts';
import { TOKEN_PARAM, WS_PATH, type ServerMessage } from '../../services/gateway/messages.ts';
import { Connection, gatewaySocketUrl, pageToken, type ConnectionState } from './connection.ts';
import { GatewayApi } from './gateway-api.ts';
import { byId, fill } from './dom.ts';
import { FeatureView } from './feature-view.ts';
import { bySeverity, renderFeatureGrid } from './feature-grid.ts';
import { renderModelList } from './model-list.ts';
import { ModelView } from './model-view.ts';
import { ReportStore } from './report-store.ts';

const store = new ReportStore();
const api = new GatewayApi(location.href, pageToken(location, TOKEN_PARAM));
/** Fetches in flight or done since the last history, by what they fetch. */
const asked = new Set<string>();
const modelView = new ModelView();
const featureView = new FeatureView();
let selectedModel = new URLSearchParams(location.search).get('model') ?? undefined;
let pickedFeature: string | undefined;
let frame: number | undefined;

function worstFeature(features: FeatureReport[]): string | undefined {
  return bySeverity(features)[0]?.name;
}

const filterBox = byId<HTMLInputElement>('feature-filter');
filterBox.addEventListener('input', () => scheduleRender());

/** Fetches once per key; a failed fetch may be asked again at the next render. */
function ask(key: string, load: () => Promise<void>): void {
  if (asked.has(key)) return;
  asked.add(key);
  load().then(scheduleRender, (err: unknown) => {
    asked.delete(key);
    console.warn(`dashboard: ${(err as Error).message}`);
  });
}

function render(): void {
  frame = undefined;
  const summaries = store.models().map((id) => store.summary(id)!);
  if (selectedModel === undefined && summaries.length) {
    selectedModel = summaries.reduce((a, b) => (b.evaluatedAt > a.evaluatedAt ? b : a)).modelId;
  }
  renderModelList(byId('models'), summaries, selectedModel, selectModel);
  const modelId = selectedModel;
  const summary = modelId === undefined ? undefined : store.summary(modelId);
  if (modelId === undefined || !summary) return;
  const latest = store.latest(modelId);
  if (!latest) {
    ask(`latest ${modelId} ${summary.evaluatedAt}`, async () => {
      for (const report of await api.reports(modelId, summary.evaluatedAt)) store.addReport(report);
    });
    return;
  }
  const points = store.points(modelId);
  const featureName = pickedFeature ?? worstFeature(latest.features);
  modelView.render(points, latest);
  renderFeatureGrid(byId('features'), byId('feature-count'), latest.features, filterBox.value, featureName, selectFeature);
  if (featureName === undefined) return;
  if (!store.hasFeature(modelId, featureName)) {
    ask(`series ${modelId} ${featureName}`, async () => store.addSeries(await api.series(modelId, [featureName])));
  }
  featureView.render(points, latest, featureName);
}

function scheduleRender(): void {
  frame ??= requestAnimationFrame(render);
}

function selectModel(modelId: string): void {
  selectedModel = modelId;
  pickedFeature = undefined;
  const url = new URL(location.href);
  url.searchParams.set('model', modelId);
  history.replaceState(null, '', url);
  scheduleRender();
}

function selectFeature(name: string): void {
  pickedFeature = name;
  scheduleRender();
}

function showConnection(state: ConnectionState): void {
  const box = byId('connection');
  box.dataset.state = state.state;
  const text =
    state.state === 'open'
      ? 'live'
      : state.state === 'connecting'
        ? `connecting… (attempt ${state.attempt})`
        : `disconnected: ${state.reason}; retrying in ${Math.ceil(state.retryInMs / 1000)} s`;
  fill(box, text);
}

function onMessage(message: ServerMessage): void {
  if (message.type === 'hello') store.maxPerModel = message.historyPerModel;
  else if (message.type === 'history') {
    store.setHistory(message.models);
    asked.clear();
    scheduleRender();
  } else if (message.type === 'report' && store.addReport(message.report)) scheduleRender();
}

new Connection(gatewaySocketUrl(location, WS_PATH, TOKEN_PARAM), { onMessage, onState: showConnection }).open();

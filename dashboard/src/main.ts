/**
 * The dashboard page: keeps the reports pushed by the gateway, shows every
 * model's status, and for the selected model its features and evidence.
 * Until the user picks a feature, the worst one is shown. `?model=<id>`
 * preselects a model. Redraws at most once a frame.
 */
import { STATUS_RANK, type DriftReport, type FeatureReport } from '../../pipeline/serde/drift-report.ts';
import { TOKEN_PARAM, WS_PATH, type ServerMessage } from '../../services/gateway/messages.ts';
import { Connection, gatewaySocketUrl, type ConnectionState } from './connection.ts';
import { byId, fill } from './dom.ts';
import { primaryTest } from './evidence.ts';
import { FeatureView } from './feature-view.ts';
import { renderFeatureGrid } from './feature-grid.ts';
import { renderModelList } from './model-list.ts';
import { ModelView } from './model-view.ts';
import { ReportStore } from './report-store.ts';

const store = new ReportStore();
const modelView = new ModelView();
const featureView = new FeatureView();
let selectedModel = new URLSearchParams(location.search).get('model') ?? undefined;
let pickedFeature: string | undefined;
let frame: number | undefined;

function worstFeature(features: FeatureReport[]): string | undefined {
  let worst: FeatureReport | undefined;
  const p = (f: FeatureReport) => primaryTest(f)?.adjustedPValue ?? primaryTest(f)?.pValue ?? 1;
  for (const f of features) {
    if (!worst || STATUS_RANK[f.status] > STATUS_RANK[worst.status] || (f.status === worst.status && f.status !== 'GREEN' && p(f) < p(worst))) worst = f;
  }
  return worst?.name;
}

function render(): void {
  frame = undefined;
  const latest = store.models().map((id) => store.latest(id)!);
  if (selectedModel === undefined && latest.length) {
    selectedModel = latest.reduce((a, b) => (b.evaluatedAt > a.evaluatedAt ? b : a)).modelId;
  }
  renderModelList(byId('models'), latest, selectedModel, selectModel);
  const reports = selectedModel === undefined ? [] : store.reports(selectedModel);
  if (reports.length === 0) return;
  const current = reports[reports.length - 1];
  const featureName = pickedFeature ?? worstFeature(current.features);
  modelView.render(reports);
  renderFeatureGrid(byId('features'), current.features, featureName, selectFeature);
  if (featureName !== undefined) featureView.render(reports, featureName);
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
  let changed: Set<string> | undefined;
  if (message.type === 'hello') store.maxPerModel = message.historyPerModel;
  else if (message.type === 'history') changed = store.add(message.reports);
  else if (message.type === 'report') changed = store.add([message.report as DriftReport]);
  if (changed?.size) scheduleRender();
}

new Connection(gatewaySocketUrl(location, WS_PATH, TOKEN_PARAM), { onMessage, onState: showConnection }).open();

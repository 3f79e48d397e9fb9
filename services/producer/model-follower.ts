/**
 * The demo model service's hot swap: every `everyMs` it re-reads the model's
 * LATEST file and, when it names another version, loads that version's model,
 * so a version promoted by `aegis train --watch` serves the next events
 * without a restart. The traffic pool is not swapped: the simulator keeps
 * replaying the rows (and the scenario) it started with.
 */
import { dirname } from 'node:path';
import type { CartModel } from '../../pipeline/model/cart-model.ts';
import type { Logger } from '../log.ts';
import { latestVersion, loadArtifact, type LoadedArtifact } from '../trainer/artifact-store.ts';

export class ModelFollower {
  model: CartModel;
  version: string;
  private nextCheck = 0;
  private readonly root: string;
  private readonly modelId: string;

  constructor(artifact: LoadedArtifact, private readonly log: Logger, private readonly everyMs = 2000) {
    this.model = artifact.model.model;
    this.version = artifact.model.version;
    this.modelId = artifact.model.modelId;
    this.root = dirname(dirname(artifact.dir));
  }

  /** Swaps in the LATEST version when it changed; an unreadable artifact keeps the current model (retried next time). */
  async refresh(now: number): Promise<void> {
    if (now < this.nextCheck) return;
    this.nextCheck = now + this.everyMs;
    try {
      const latest = await latestVersion(this.root, this.modelId);
      if (!latest || latest === this.version) return;
      const next = await loadArtifact(this.root, this.modelId, latest);
      this.log.info({ modelId: this.modelId, from: this.version, to: latest }, 'serving a new model version');
      this.model = next.model.model;
      this.version = latest;
    } catch (err) {
      this.log.warn({ modelId: this.modelId, err: (err as Error).message }, 'could not load the latest model version (retriable)');
    }
  }
}

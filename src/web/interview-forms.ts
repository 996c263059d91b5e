import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { InterviewDefinition, Screen } from '../interview/interview-definition';
import type { Position } from '../interview/interview-engine';
import { loadInterviewForPack } from '../interview/interview-loader';

/**
 * The interview definitions, read for what a form needs beyond the screen the interview shows:
 * input formats (phone, email, state), where an answer lands (for autocomplete), and the
 * follow-up questions a screen reveals, which a page without JavaScript must show itself.
 * Read-only; the flow itself stays with the interview.
 */
@Injectable()
export class InterviewForms {
  private readonly logger = new Logger(InterviewForms.name);
  private readonly definitions = new Map<string, InterviewDefinition | null>();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  screen(packId: string, position: Position): Screen | undefined {
    if (position.kind !== 'screen' && position.kind !== 'item') return undefined;
    const definition = this.definition(packId);
    for (const section of definition?.sections ?? []) {
      const screen = section.screens.find((s) => s.id === position.screenId);
      if (screen) return screen;
    }
    return undefined;
  }

  private definition(packId: string): InterviewDefinition | null {
    if (!this.definitions.has(packId)) {
      try {
        this.definitions.set(packId, loadInterviewForPack(this.config.PACKS_DIR, packId));
      } catch (e) {
        // The interview service refuses to start with a bad definition; should this one still
        // fail, the pages fall back to the questions the screen shows.
        this.logger.warn(
          `interview definition of pack ${packId} unavailable (${(e as Error).name})`,
        );
        this.definitions.set(packId, null);
      }
    }
    return this.definitions.get(packId) ?? null;
  }
}

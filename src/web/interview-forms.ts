import { Inject, Injectable } from '@nestjs/common';
import type { Screen } from '../interview/interview-definition';
import type { Position } from '../interview/interview-engine';
import { PETITIONER_INTERVIEW, PetitionerInterview } from '../interview/petitioner-interview';

/**
 * The interview definitions, read for what a form needs beyond the screen the interview shows:
 * input formats (phone, email, state), where an answer lands (for autocomplete), and the
 * follow-up questions a screen reveals, which a page without JavaScript must show itself.
 * Read-only; the flow itself stays with the interview.
 */
@Injectable()
export class InterviewForms {
  /** Pack id → screen id → screen, indexed on first use from the definitions already loaded. */
  private readonly screens = new Map<string, Map<string, Screen>>();

  constructor(@Inject(PETITIONER_INTERVIEW) private readonly interview: PetitionerInterview) {}

  screen(packId: string, position: Position): Screen | undefined {
    if (position.kind !== 'screen' && position.kind !== 'item') return undefined;
    return this.screensOf(packId).get(position.screenId);
  }

  private screensOf(packId: string): Map<string, Screen> {
    let byId = this.screens.get(packId);
    if (!byId) {
      byId = new Map<string, Screen>();
      for (const section of this.interview.definition(packId).sections) {
        for (const screen of section.screens) if (!byId.has(screen.id)) byId.set(screen.id, screen);
      }
      this.screens.set(packId, byId);
    }
    return byId;
  }
}

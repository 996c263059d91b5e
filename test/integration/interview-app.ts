import type { ValueProvider } from '@nestjs/common';
import request from 'supertest';
import { App } from 'supertest/types';
import { INTERVIEW_CLOCK } from '../../src/interview/interview-clock';
import type { ScreenView } from '../../src/interview/interview-engine';

/** Time for the interview's sessions, throttle and drafts, moved by the test instead of waited for. */
export class TestClock {
  private at = Date.now();

  readonly now = (): number => this.at;

  advance(ms: number): void {
    this.at += ms;
  }

  /** For createTestApp's overrides: the interview reads this clock instead of the system's. */
  provider(): ValueProvider {
    return { provide: INTERVIEW_CLOCK, useValue: this.now };
  }
}

/** What starting an interview answers, as far as these specs read it. */
export interface Started {
  sessionId: string;
  resumeCode: string;
  screen: ScreenView;
}

export async function startInterview(http: App, language = 'es'): Promise<Started> {
  const res = await request(http)
    .post('/interview')
    .send({ packId: 'generic-us', language })
    .expect(201);
  return res.body as Started;
}

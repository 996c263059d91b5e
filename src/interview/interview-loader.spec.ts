import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../config/project-root';
import {
  InterviewLoadError,
  interviewDir,
  loadInterview,
  loadInterviewForPack,
} from './interview-loader';

const TEMPLATES = join(projectRoot(), 'templates');
const COMMON = join(TEMPLATES, 'common', 'interview');

/** A copy of the shared interview to break in one place. */
function withCopy(edit: (dir: string) => void): () => unknown {
  const dir = mkdtempSync(join(tmpdir(), 'interview-'));
  cpSync(COMMON, dir, { recursive: true });
  edit(dir);
  return () => {
    try {
      return loadInterview(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

type Json = Record<string, unknown> & {
  screens: { id: string; questions: Record<string, unknown>[] }[];
};

function editSection(dir: string, file: string, edit: (s: Json) => void): void {
  const path = join(dir, file);
  const section = JSON.parse(readFileSync(path, 'utf8')) as Json;
  edit(section);
  writeFileSync(path, JSON.stringify(section));
}

function problemsOf(load: () => unknown): { field?: string; message: string }[] {
  try {
    load();
  } catch (e) {
    if (e instanceof InterviewLoadError) return e.details;
    throw e;
  }
  throw new Error('expected the interview to be refused');
}

describe('interview loader and lint', () => {
  it('loads the shared interview, which every CaseFacts requirement passes', () => {
    const def = loadInterview(COMMON);
    expect(def.sections.map((s) => s.id)).toEqual([
      'about-you',
      'safe-address',
      'respondent',
      'firearms',
      'relationship',
      'protected-people',
      'incidents',
      'orders',
      'other-cases',
      'court',
      'signature',
    ]);
  });

  it('serves every pack from the shared folder unless the pack has its own', () => {
    expect(interviewDir(TEMPLATES, 'generic-us')).toBe(COMMON);
    expect(interviewDir(TEMPLATES, 'ca-dv')).toBe(COMMON);
  });

  it('gives every pack in templates/ a valid interview', () => {
    const packs = readdirSync(TEMPLATES).filter((d) =>
      existsSync(join(TEMPLATES, d, 'manifest.json')),
    );
    expect(packs).toEqual(expect.arrayContaining(['generic-us', 'ca-dv', 'ma-209a', 'mi-ppo']));
    for (const pack of packs)
      expect(loadInterviewForPack(TEMPLATES, pack).sections.length).toBe(11);
  });

  it('refuses a question whose path is not in CaseFacts, naming file, screen and question', () => {
    const load = withCopy((dir) =>
      editSection(dir, 'respondent.json', (s) => {
        s.screens[0].questions[0].path = 'respondent.nickname';
      }),
    );
    expect(problemsOf(load)).toContainEqual({
      field: 'respondent.json screen respondent-name question respondent-name',
      message: expect.stringContaining('no property "nickname"'),
    });
  });

  it('refuses an item question whose path is not in the list item', () => {
    const load = withCopy((dir) =>
      editSection(dir, 'incidents.json', (s) => {
        s.screens[1].questions[0].path = 'location';
      }),
    );
    expect(problemsOf(load)).toContainEqual({
      field: 'incidents.json screen incident-where question incident-place',
      message: expect.stringContaining('no property "location"'),
    });
  });

  it('refuses when a field CaseFacts requires is asked nowhere and has no default', () => {
    const load = withCopy((dir) =>
      editSection(dir, 'signature.json', (s) => {
        s.screens[0].questions = s.screens[0].questions.filter((q) => q.id !== 'signature-city');
      }),
    );
    expect(problemsOf(load)).toContainEqual({
      field: 'signature.city',
      message: expect.stringContaining('no question asks it'),
    });
  });

  it('refuses when a required field of list items is not asked', () => {
    const load = withCopy((dir) =>
      editSection(dir, 'incidents.json', (s) => {
        s.screens = s.screens.filter((sc) => sc.id !== 'incident-story');
      }),
    );
    expect(problemsOf(load)).toContainEqual({
      field: 'incidents.N.narrative',
      message: expect.stringContaining('in the items of incidents.json'),
    });
  });

  it('refuses a choice that is not a value of the CaseFacts enum, and a kind that does not fit', () => {
    const load = withCopy((dir) =>
      editSection(dir, 'about-you.json', (s) => {
        const gender = s.screens[2].questions[0] as { options: { value: string }[] };
        gender.options[0].value = 'woman';
        s.screens[3].questions[1].kind = 'text';
      }),
    );
    const problems = problemsOf(load);
    expect(problems).toContainEqual({
      field: 'about-you.json screen your-gender question petitioner-gender option woman',
      message: expect.stringContaining('"woman" is not a value of petitioner.gender'),
    });
    expect(problems).toContainEqual({
      field: 'about-you.json screen your-language question interpreter-needed',
      message: 'path petitioner.interpreterNeeded does not take a text answer',
    });
  });

  it('refuses text missing in one language, naming where', () => {
    const load = withCopy((dir) =>
      editSection(dir, 'court.json', (s) => {
        s.screens[0].questions[1].label = { en: 'County' };
      }),
    );
    expect(problemsOf(load)).toContainEqual({
      field: 'court.json screen 1 (court) question 2 (court-county) label.es',
      message: 'missing the es text',
    });
  });

  it('counts a default as covering a required field', () => {
    const load = withCopy((dir) => {
      editSection(dir, 'signature.json', (s) => {
        s.screens[0].questions = s.screens[0].questions.filter((q) => q.id !== 'signature-city');
      });
      const file = join(dir, 'interview.json');
      const orchestrator = JSON.parse(readFileSync(file, 'utf8')) as {
        defaults: Record<string, unknown>;
      };
      orchestrator.defaults['signature.city'] = 'Springfield';
      writeFileSync(file, JSON.stringify(orchestrator));
    });
    expect(load()).toBeDefined();
  });
});

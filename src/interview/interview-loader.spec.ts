import {
  cpSync,
  existsSync,
  mkdirSync,
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

function editOrchestrator(dir: string, edit: (o: { notAsked: Record<string, string> }) => void) {
  const file = join(dir, 'interview.json');
  const orchestrator = JSON.parse(readFileSync(file, 'utf8')) as {
    notAsked: Record<string, string>;
  };
  edit(orchestrator);
  writeFileSync(file, JSON.stringify(orchestrator));
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
      'pets',
      'other-cases',
      'court',
      'signature',
    ]);
  });

  it('serves every pack from the shared folder unless the pack has its own', () => {
    expect(interviewDir(TEMPLATES, 'generic-us')).toBe(COMMON);
    expect(interviewDir(TEMPLATES, 'ca-dv')).toBe(join(TEMPLATES, 'ca-dv', 'interview'));
  });

  it('gives every pack in templates/ a valid interview', () => {
    const packs = readdirSync(TEMPLATES).filter((d) =>
      existsSync(join(TEMPLATES, d, 'manifest.json')),
    );
    expect(packs).toEqual(expect.arrayContaining(['generic-us', 'ca-dv', 'ma-209a', 'mi-ppo']));
    for (const pack of packs)
      expect(loadInterviewForPack(TEMPLATES, pack).sections.length).toBe(12);
  });

  it('builds a state pack from the shared sections and its own court section', () => {
    const common = loadInterview(COMMON);
    for (const [pack, state] of [
      ['ca-dv', 'CA'],
      ['ma-209a', 'MA'],
      ['mi-ppo', 'MI'],
    ]) {
      const def = loadInterviewForPack(TEMPLATES, pack);
      expect(def.sections.map((s) => s.id)).toEqual(common.sections.map((s) => s.id));
      expect(def.sections.find((s) => s.id === 'about-you')).toEqual(common.sections[0]);
      expect(def.sections.find((s) => s.id === 'court')).not.toEqual(
        common.sections.find((s) => s.id === 'court'),
      );
      // The state comes from the pack, never from a petitioner who must spell it in two letters.
      expect(def.defaults['court.state']).toBe(state);
      const asked = def.sections.flatMap((s) => s.screens.flatMap((sc) => sc.questions));
      expect(asked.some((q) => q.path === 'court.state')).toBe(false);
      expect(def.notAsked).toEqual(common.notAsked);
    }
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
  it('refuses a fact that no question asks, no default gives and notAsked does not excuse', () => {
    const load = withCopy((dir) =>
      editOrchestrator(dir, (o) => {
        delete o.notAsked['incidents.N.dateRange'];
      }),
    );
    expect(problemsOf(load)).toEqual([
      {
        field: 'incidents.N.dateRange.from',
        message: expect.stringContaining('notAsked gives no reason'),
      },
      {
        field: 'incidents.N.dateRange.to',
        message: expect.stringContaining('notAsked gives no reason'),
      },
    ]);
  });

  it('refuses a question taken away from a fact a document prints, until someone says why', () => {
    const load = withCopy((dir) =>
      editSection(dir, 'respondent.json', (s) => {
        s.screens = s.screens.filter((sc) => sc.id !== 'respondent-vehicle');
      }),
    );
    expect(problemsOf(load).map((p) => p.field)).toEqual([
      'respondent.vehicle.make',
      'respondent.vehicle.model',
      'respondent.vehicle.color',
      'respondent.vehicle.year',
      'respondent.vehicle.licensePlate',
      'respondent.vehicle.plateState',
    ]);
  });

  it('refuses notAsked paths that do not exist, are asked after all, or give no reason', () => {
    const load = withCopy((dir) =>
      editOrchestrator(dir, (o) => {
        o.notAsked['respondent.nickname'] = 'the forms have no place for a nickname';
        o.notAsked['incidents.N.place'] = 'a place is not needed for this test';
        o.notAsked['court.address'] = 'no';
        o.notAsked['incidents.N'] = 'a path that ends inside a list';
      }),
    );
    expect(problemsOf(load)).toEqual([
      {
        field: 'interview.json notAsked court.address',
        message: 'give the reason this fact is not asked',
      },
    ]);
    const load2 = withCopy((dir) =>
      editOrchestrator(dir, (o) => {
        o.notAsked['respondent.nickname'] = 'the forms have no place for a nickname';
        o.notAsked['incidents.N.place'] = 'a place is not needed for this test';
        o.notAsked['incidents.N'] = 'a path that ends inside a list';
      }),
    );
    expect(problemsOf(load2)).toEqual([
      {
        field: 'interview.json notAsked respondent.nickname',
        message: expect.stringContaining('no property "nickname"'),
      },
      {
        field: 'interview.json notAsked incidents.N.place',
        message: 'incidents.N.place is asked or defaulted, so it is not "not asked"',
      },
      { field: 'interview.json notAsked incidents.N', message: 'a path cannot end with N' },
    ]);
  });

  it('refuses a list of texts asked without lines, and lines on a single text', () => {
    const load = withCopy((dir) =>
      editSection(dir, 'incidents.json', (s) => {
        const acts = s.screens.find((sc) => sc.id === 'incident-acts') as Json['screens'][number];
        delete acts.questions.find((q) => q.id === 'incident-weapons')?.lines;
        const story = s.screens.find((sc) => sc.id === 'incident-story') as Json['screens'][number];
        story.questions[0].lines = true;
      }),
    );
    expect(problemsOf(load)).toEqual([
      {
        field: 'incidents.json screen incident-acts question incident-weapons',
        message: 'path weapons is a list of texts: ask it as longText with "lines": true',
      },
      {
        field: 'incidents.json screen incident-story question incident-narrative',
        message: 'path narrative is not a list of texts, so it cannot take lines',
      },
    ]);
  });

  describe('a pack with its own interview', () => {
    /** A packs folder with the shared interview and one pack whose interview is `files`. */
    function withPack(files: Record<string, unknown>, state = 'CA'): () => unknown {
      const root = mkdtempSync(join(tmpdir(), 'packs-'));
      cpSync(COMMON, join(root, 'common', 'interview'), { recursive: true });
      const own = join(root, 'pack', 'interview');
      mkdirSync(own, { recursive: true });
      writeFileSync(
        join(root, 'pack', 'manifest.json'),
        JSON.stringify({ jurisdiction: { state } }),
      );
      for (const [file, content] of Object.entries(files)) {
        writeFileSync(join(own, file), JSON.stringify(content));
      }
      return () => {
        try {
          return loadInterviewForPack(root, 'pack');
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      };
    }
    const ca = (): Record<string, Json> => ({
      'interview.json': JSON.parse(
        readFileSync(join(TEMPLATES, 'ca-dv', 'interview', 'interview.json'), 'utf8'),
      ) as Json,
      'court.json': JSON.parse(
        readFileSync(join(TEMPLATES, 'ca-dv', 'interview', 'court.json'), 'utf8'),
      ) as Json,
    });

    it('loads the shared sections it names and its own', () => {
      const def = withPack(ca())() as { sections: { id: string }[] };
      expect(def.sections.map((s) => s.id)).toContain('court');
    });

    it("refuses a default state that is not the pack's", () => {
      expect(problemsOf(withPack(ca(), 'NV'))).toEqual([
        {
          field: 'interview.json defaults court.state',
          message: 'is "CA", but pack pack is for NV',
        },
      ]);
    });

    it('refuses placeholders that are malformed, unknown, or not asked', () => {
      const files = ca();
      const defaults = files['interview.json'].defaults as Record<string, unknown>;
      defaults['court.name'] = 'Court of {court.county';
      expect(problemsOf(withPack(files))).toContainEqual({
        field: 'interview.json defaults court.name',
        message: expect.stringContaining('a placeholder is a CaseFacts path in braces'),
      });
      defaults['court.name'] = 'Court of {court.parish} and {court.caseNumber}';
      expect(problemsOf(withPack(files))).toEqual([
        {
          field: 'interview.json defaults court.name',
          message: expect.stringContaining('placeholder {court.parish}: CaseFacts has no property'),
        },
        {
          field: 'interview.json defaults court.name',
          message:
            'placeholder {court.caseNumber} is not asked by a required question outside lists',
        },
      ]);
    });

    it('refuses a shared section that does not exist, naming it', () => {
      const files = ca();
      (files['interview.json'].sections as unknown as string[]).push('common/nothing.json');
      expect(problemsOf(withPack(files))).toContainEqual({
        field: 'common/nothing.json',
        message: expect.stringContaining('cannot read common/nothing.json'),
      });
    });
  });

  it('refuses a broken glossary', () => {
    const load = withCopy((dir) => {
      const file = join(dir, 'glossary.json');
      const glossary = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      glossary.hearing = { en: { term: 'hearing', explanation: '' } };
      writeFileSync(file, JSON.stringify(glossary));
    });
    expect(problemsOf(load)).toEqual(
      expect.arrayContaining([
        {
          field: 'glossary.json hearing.en.explanation',
          message: 'explanation must be text of at most 300 characters',
        },
        { field: 'glossary.json hearing.es', message: 'missing: give term and explanation' },
      ]),
    );
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import nunjucks from 'nunjucks';
import { groupsViews } from './index.ts';

/**
 * The register writes out the NHS radios markup for each person (views/register-status.njk) rather
 * than calling nhsuk-frontend's radios macro fifty times. These tests hold it to the macro: the same
 * people rendered both ways give the same markup, whitespace aside.
 */

const nhsukDist = path.join(import.meta.dirname, '../../../node_modules/nhsuk-frontend/dist');
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([...groupsViews, nhsukDist]), {
  autoescape: true,
});

/** The markup with layout whitespace taken out, so only the elements, attributes and text compare. */
const normalised = (html: string) =>
  html
    .replace(/\s+/g, ' ')
    .replace(/\s*>\s*/g, '>')
    .replace(/\s*</g, '<')
    .replace(/<(\w+) +/g, '<$1 ')
    .trim();

const STATUSES = [
  ['attended', 'Attended'],
  ['late', 'Late'],
  ['left_early', 'Left early'],
  ['did_not_attend', 'Did not attend'],
  ['cancelled_by_member', 'Cancelled by member'],
  ['cancelled_by_service', 'Cancelled by service'],
] as const;

type Row = {
  memberId: string;
  name: string;
  hint: string;
  statusItems: { value: string; text: string; checked: boolean }[];
};

const row = (name: string, hint: string, checked?: string): Row => ({
  memberId: '0b7c1f6e-3d1a-4a57-9d55-3b0f1c2e4a10',
  name,
  hint,
  statusItems: STATUSES.map(([value, text]) => ({ value, text, checked: value === checked })),
});

const ours = (person: Row, error?: { text: string }) =>
  env.renderString('{% from "register-status.njk" import registerStatus %}{{ registerStatus(row, error) }}', {
    row: person,
    error,
  });

// As register-form.njk called the macro before.
const macro = (person: Row, error?: { text: string }) =>
  env.renderString(
    `{% from "nhsuk/components/radios/macro.njk" import radios %}{{ radios({
      idPrefix: "status-" ~ row.memberId,
      name: "status-" ~ row.memberId,
      classes: "nhsuk-radios--inline",
      fieldset: { legend: { text: row.name, size: "s" } },
      hint: { text: row.hint } if row.hint else undefined,
      items: row.statusItems,
      errorMessage: error
    }) }}`,
    { row: person, error },
  );

describe("a person's status on the register", () => {
  for (const [what, person, error] of [
    ['with a hint and a status chosen', row('Ruth Adeyemi', 'Comes every week', 'late'), undefined],
    ['with no hint and nothing chosen', row('Kieran Walsh', ''), undefined],
    ['with an error', row('Peggy Morris', 'Walked in'), { text: 'Choose whether Peggy Morris came' }],
    ['with an error and no hint', row('Sam Lee', '', 'attended'), { text: 'Choose one' }],
    ['whose name needs escaping', row('Amy <b>"O\'Neil"</b> & co', 'Booked for this session'), undefined],
  ] as const) {
    it(`is marked up as the NHS radios component marks it up, ${what}`, () => {
      const expected = normalised(macro(person, error));
      assert.match(expected, /nhsuk-radios__input/, 'the macro rendered');
      assert.equal(normalised(ours(person, error)), expected);
    });
  }
});

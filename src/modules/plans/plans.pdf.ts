import pdfmake from 'pdfmake';
import type { Content } from 'pdfmake';

type TDocumentDefinitions = Parameters<typeof pdfmake.createPdf>[0];
import { formatDate, formatDateTime } from '../../platform/views/filters/format-date.ts';
import { CRISIS_CONTACTS, CRISIS_HELP_HEADING } from '../referrals/index.ts';
import { linesOf } from './plan-compare.ts';
import { PLAN_KINDS, type PlanContent, type PlanKind } from './plan-kinds.ts';

// PDFs are made on the server from our own text only: the standard PDF fonts, which PDFKit carries
// built in (nothing to load), and no reading of web addresses or local files, whatever a document
// might name (STACK-NOTES trap 10). pdfmake asks the local-file policy about font names too, so the
// only "files" allowed are those four built-in font names.
const HELVETICA = {
  normal: 'Helvetica',
  bold: 'Helvetica-Bold',
  italics: 'Helvetica-Oblique',
  bolditalics: 'Helvetica-BoldOblique',
};
const BUILT_IN_FONTS = new Set(Object.values(HELVETICA));
pdfmake.setFonts({ Helvetica: HELVETICA });
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => BUILT_IN_FONTS.has(path));

/** A plan as the PDF shows it. */
export type PlanForPdf = {
  kind: PlanKind;
  title: string;
  memberName: string;
  content: PlanContent;
  version: number;
  savedAt: Date | undefined;
};

/**
 * The plan as a PDF the member can keep, print or carry: each part and what it says, the review date,
 * and, for a safety plan, where to get help now.
 *
 * @param plan - the plan at its current version.
 * @returns the PDF.
 */
export async function planPdf(plan: PlanForPdf): Promise<Buffer> {
  const definition = PLAN_KINDS[plan.kind];
  const body: Content[] = [
    { text: plan.title, style: 'title' },
    { text: `${plan.memberName}'s plan`, margin: [0, 0, 0, 4] },
    {
      text: plan.savedAt
        ? `Version ${plan.version}, saved ${formatDateTime(plan.savedAt)}`
        : 'Nothing has been saved yet',
      italics: true,
      margin: [0, 0, 0, 12],
    },
  ];
  for (const field of definition.fields) {
    const lines = linesOf(field, plan.content.fields[field.name]);
    body.push({ text: field.label, style: 'part' });
    body.push(
      lines.length ? { ul: lines, margin: [0, 0, 0, 8] } : { text: 'Not written yet', margin: [0, 0, 0, 8] },
    );
  }
  if (plan.content.reviewOn) {
    body.push({
      text: `We will look at this plan again by ${formatDate(plan.content.reviewOn)}.`,
      margin: [0, 8, 0, 0],
    });
  }
  if (plan.kind === 'safety') {
    body.push({ text: CRISIS_HELP_HEADING, style: 'part', margin: [0, 16, 0, 4] });
    body.push({ ul: CRISIS_CONTACTS.map((c) => `${c.heading}: ${c.text}`) });
  }
  const document: TDocumentDefinitions = {
    info: { title: plan.title },
    defaultStyle: { font: 'Helvetica', fontSize: 11 },
    styles: {
      title: { fontSize: 20, bold: true, margin: [0, 0, 0, 6] },
      part: { fontSize: 13, bold: true, margin: [0, 6, 0, 2] },
    },
    content: body,
  };
  return pdfmake.createPdf(document).getBuffer();
}

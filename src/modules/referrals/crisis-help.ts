/**
 * Where to get help now, shown on every page of the self-referral journey and on its confirmation: a
 * referral to peer support is not a crisis service, and someone filling in the form may need one.
 *
 * Source: NHS website, "Where to get urgent help for mental health"
 * (https://www.nhs.uk/nhs-services/mental-health-services/where-to-get-urgent-help-for-mental-health/):
 * call 111 and choose the mental health option (option 2) for urgent help in England; call 999 or go to
 * A&E if a life is at risk; free listening services include Samaritans (116 123, free, 24 hours) and
 * Shout (text SHOUT to 85258). Check these against that page when it changes; nothing else is added here
 * because every number shown must be one the NHS itself gives.
 *
 * The emergency comes first so that someone whose life is at risk does not have to read past the rest.
 * The words are plain text: templates show them with `text:`, never as HTML.
 */
export interface CrisisContact {
  /** A stable name for tests and templates. */
  readonly id: 'emergency' | 'nhs-111' | 'samaritans' | 'shout';
  /** When to use it, as a short heading. */
  readonly heading: string;
  /** What to do, in one or two plain sentences. */
  readonly text: string;
  /** A link that starts the call or text on a phone. */
  readonly href: string;
  /** The words of that link. */
  readonly linkText: string;
}

/** The heading over the crisis help, and the answer to "Do you need help now?". */
export const CRISIS_HELP_HEADING = 'If you need help now';

/** The contacts, most urgent first, frozen so no request can change what another person sees. */
export const CRISIS_CONTACTS: readonly CrisisContact[] = Object.freeze([
  Object.freeze({
    id: 'emergency',
    heading: 'If your life is at risk',
    text: "Call 999 or go to A&E now if your life or someone else's life is at risk, or you do not feel you can keep yourself safe.",
    href: 'tel:999',
    linkText: 'Call 999',
  }),
  Object.freeze({
    id: 'nhs-111',
    heading: 'If you need urgent help for your mental health',
    text: 'Call 111 and choose option 2, the mental health option. It is free and you can call any time, day or night.',
    href: 'tel:111',
    linkText: 'Call 111',
  }),
  Object.freeze({
    id: 'samaritans',
    heading: 'If you want to talk to someone',
    text: 'Call Samaritans free on 116 123, any time, day or night.',
    href: 'tel:116123',
    linkText: 'Call Samaritans on 116 123',
  }),
  Object.freeze({
    id: 'shout',
    heading: 'If you would rather text',
    text: 'Text SHOUT to 85258 to talk to someone by text message.',
    href: 'sms:85258',
    linkText: 'Text SHOUT to 85258',
  }),
] as const);

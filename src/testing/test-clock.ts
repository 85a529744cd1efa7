import type { Clock } from '../context.ts';

/** A clock a test can move: fixed by default, so dates on screen and in the database are predictable. */
export class TestClock implements Clock {
  private current: Date;

  constructor(start = new Date('2026-03-02T10:00:00Z')) {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

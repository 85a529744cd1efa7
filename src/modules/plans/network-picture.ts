import { CLOSENESS, NETWORK_KINDS, type Closeness, type NetworkEntry } from './plan-kinds.ts';

/**
 * The network map as a picture: the member in the middle, and three rings around them, the closest
 * nearest. Only positions are worked out here; the template draws the SVG (with every name escaped),
 * and the list beside it says the same in words, so the picture is never the only way to read it.
 */

const SIZE = 600;
const CENTRE = SIZE / 2;
const RING_RADIUS: Record<Closeness, number> = { very_close: 95, close: 175, further_away: 255 };

export type NetworkPicture = {
  size: number;
  centre: number;
  rings: { radius: number; label: string }[];
  nodes: { x: number; y: number; labelY: number; name: string; shape: 'circle' | 'square' | 'diamond' }[];
  /** The text alternative: who is at each distance, in words. */
  description: string;
};

const SHAPES = { person: 'circle', group: 'square', service: 'diamond' } as const;

/**
 * Places the people, groups and services of a network map on their rings.
 *
 * @param entries - the network.
 * @returns what the template draws, and its description in words.
 */
export function networkPicture(entries: readonly NetworkEntry[]): NetworkPicture {
  const nodes: NetworkPicture['nodes'] = [];
  const sentences: string[] = [];
  for (const [closeness, radius] of Object.entries(RING_RADIUS) as [Closeness, number][]) {
    const onRing = entries.filter((e) => e.closeness === closeness);
    // Each ring starts at a different angle so names on neighbouring rings do not line up.
    const offset = { very_close: -90, close: -60, further_away: -30 }[closeness];
    onRing.forEach((entry, i) => {
      const angle = ((offset + (360 * i) / onRing.length) * Math.PI) / 180;
      const x = Math.round(CENTRE + radius * Math.cos(angle));
      const y = Math.round(CENTRE + radius * Math.sin(angle));
      nodes.push({ x, y, labelY: y + 24, name: entry.name, shape: SHAPES[entry.kind] });
    });
    if (onRing.length > 0) {
      sentences.push(
        `${CLOSENESS[closeness]}: ${onRing.map((e) => `${e.name} (${NETWORK_KINDS[e.kind].toLowerCase()})`).join(', ')}.`,
      );
    }
  }
  return {
    size: SIZE,
    centre: CENTRE,
    rings: (Object.entries(RING_RADIUS) as [Closeness, number][]).map(([closeness, radius]) => ({
      radius,
      label: CLOSENESS[closeness],
    })),
    nodes,
    description:
      entries.length === 0
        ? 'No one has been added yet.'
        : `You are in the middle. Circles are people, squares are groups, diamonds are services. ${sentences.join(' ')}`,
  };
}

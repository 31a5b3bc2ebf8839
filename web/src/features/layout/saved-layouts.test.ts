import { describe, expect, it } from 'vitest';
import { createLayoutStore } from './layout-store';
import { LAYOUT_STORAGE_KEY, parseSavedLayouts, resolveLayout, toSaved } from './saved-layouts';

const defaults = [
  { i: 'portfolio', x: 0, y: 0, w: 12, h: 3 },
  { i: 'prices', x: 0, y: 3, w: 6, h: 8 },
  { i: 'alerts', x: 6, y: 3, w: 6, h: 8 },
];

describe('saved layouts', () => {
  it('reads back what was saved, per breakpoint', () => {
    const text = JSON.stringify({ xl: [{ i: 'prices', x: 1, y: 2, w: 3, h: 4 }], sm: [{ i: 'alerts', x: 0, y: 0, w: 1, h: 9 }] });
    expect(parseSavedLayouts(text)).toEqual({ xl: [{ i: 'prices', x: 1, y: 2, w: 3, h: 4 }], sm: [{ i: 'alerts', x: 0, y: 0, w: 1, h: 9 }] });
  });

  it('drops what it did not write: bad JSON, unknown breakpoints or panels, bad numbers, a panel twice', () => {
    expect(parseSavedLayouts(null)).toEqual({});
    expect(parseSavedLayouts('{nope')).toEqual({});
    expect(parseSavedLayouts('[1,2]')).toEqual({});
    expect(parseSavedLayouts('"xl"')).toEqual({});
    const good = [{ i: 'prices', x: 0, y: 0, w: 3, h: 4 }];
    const text = JSON.stringify({
      huge: good,
      xl: [{ i: 'prices', x: 0, y: 0, w: 0, h: 4 }],
      lg: [{ i: 'secret', x: 0, y: 0, w: 3, h: 4 }],
      md: [{ i: 'prices', x: 1.5, y: 0, w: 3, h: 4 }],
      sm: [...good, ...good],
    });
    expect(parseSavedLayouts(text)).toEqual({});
    expect(parseSavedLayouts(JSON.stringify({ lg: good, xl: 'x' }))).toEqual({ lg: good });
  });

  it('shows the saved arrangement for the panels on the page and the default for the others', () => {
    const saved = [
      { i: 'alerts', x: 0, y: 0, w: 12, h: 5 },
      { i: 'system', x: 0, y: 5, w: 4, h: 4 },
    ];
    expect(resolveLayout(saved, defaults, 12)).toEqual([defaults[0], defaults[1], { i: 'alerts', x: 0, y: 0, w: 12, h: 5 }]);
    expect(resolveLayout(undefined, defaults, 12)).toEqual(defaults);
  });

  it('clamps a saved arrangement to the columns there are', () => {
    expect(resolveLayout([{ i: 'prices', x: 20, y: 1, w: 30, h: 4 }], defaults, 12)[1]).toEqual({ i: 'prices', x: 0, y: 1, w: 12, h: 4 });
    expect(resolveLayout([{ i: 'prices', x: 10, y: 1, w: 5, h: 4 }], defaults, 12)[1]).toEqual({ i: 'prices', x: 7, y: 1, w: 5, h: 4 });
  });

  it('keeps only position and size', () => {
    expect(toSaved([{ i: 'prices', x: 1, y: 2, w: 3, h: 4, moved: true, static: false, minW: 2 }])).toEqual([{ i: 'prices', x: 1, y: 2, w: 3, h: 4 }]);
  });
});

describe('the layout store', () => {
  const memory = () => {
    const data = new Map<string, string>();
    return { data, getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
  };

  it('saves per breakpoint, survives a new store on the same storage, and resets one breakpoint', () => {
    const storage = memory();
    const store = createLayoutStore(storage);
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.save('xl', [{ i: 'prices', x: 1, y: 0, w: 3, h: 4, moved: true }]);
    store.save('sm', [{ i: 'alerts', x: 0, y: 0, w: 1, h: 9 }]);
    expect(calls).toBe(2);
    const again = createLayoutStore(storage);
    expect(again.get()).toEqual({ xl: [{ i: 'prices', x: 1, y: 0, w: 3, h: 4 }], sm: [{ i: 'alerts', x: 0, y: 0, w: 1, h: 9 }] });
    again.reset('xl');
    expect(createLayoutStore(storage).get()).toEqual({ sm: [{ i: 'alerts', x: 0, y: 0, w: 1, h: 9 }] });
    off();
    store.reset('sm');
    expect(calls).toBe(2);
    expect(JSON.parse(storage.data.get(LAYOUT_STORAGE_KEY)!)).toEqual({ xl: [{ i: 'prices', x: 1, y: 0, w: 3, h: 4 }] });
  });

  it('keeps working in memory when the storage throws', () => {
    const broken = {
      getItem: (): string | null => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    const store = createLayoutStore(broken);
    expect(store.get()).toEqual({});
    store.save('lg', [{ i: 'prices', x: 0, y: 0, w: 3, h: 4 }]);
    expect(store.get()).toEqual({ lg: [{ i: 'prices', x: 0, y: 0, w: 3, h: 4 }] });
  });
});

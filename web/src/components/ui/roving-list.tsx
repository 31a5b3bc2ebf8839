import * as RovingFocus from '@radix-ui/react-roving-focus';
import type { ComponentProps } from 'react';

/**
 * A list of rows that is one tab stop: Tab lands on the row last used, the up and down arrows (and
 * Home / End) move between rows. For long feeds whose rows each have one control (a <summary>):
 * 50 decisions would otherwise be 50 Tab presses on the way to the next panel.
 */
export function RovingList(props: ComponentProps<'ul'>) {
  return (
    <RovingFocus.Root asChild orientation="vertical">
      <ul {...props} />
    </RovingFocus.Root>
  );
}

/** A row's one control inside a `RovingList` (put it around the element: it takes its place). */
export const RovingItem = RovingFocus.Item;

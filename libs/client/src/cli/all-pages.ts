export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}

/** Every item of a paged list: asks for the page after `next` until there is none. */
export async function allPages<T>(page: (after?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  for (;;) {
    const current = await page(after);
    items.push(...current.items);
    if (current.next === null || current.next === after) return items;
    after = current.next;
  }
}

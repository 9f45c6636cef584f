import type { ChatMessage, ChatSearchResult } from '../api/client';

/** What the chat page shows: turns (a user message, or an assistant answer with its tool activity). */
export interface Activity {
  id: string;
  tool: string;
  input: Record<string, unknown>;
  done: boolean;
}

export interface Turn {
  key: string;
  role: 'user' | 'assistant';
  text: string;
  results: ChatSearchResult[];
  activities: Activity[];
  pending?: boolean;
  error?: string;
}

let turnKey = 0;
export const nextKey = () => `t${++turnKey}`;

export function activityText(a: Activity): string {
  const q = typeof a.input.query === 'string' ? `“${a.input.query}”` : '';
  switch (a.tool) {
    case 'search_collection':
      return a.done ? `Searched your collection${q ? ` for ${q}` : ''}` : `Searching your collection${q ? ` for ${q}` : ''}…`;
    case 'get_item':
      return a.done ? 'Read an item' : 'Reading an item…';
    case 'search_web':
      return a.done ? `Searched the web${q ? ` for ${q}` : ''}` : `Searching the web${q ? ` for ${q}` : ''}…`;
    default:
      return a.done ? `Used ${a.tool}` : `Using ${a.tool}…`;
  }
}

/** History (user, assistant with tool calls, tool, assistant…) → what the page shows. */
export function turnsFromHistory(messages: ChatMessage[]): Turn[] {
  const turns: Turn[] = [];
  let carried: Activity[] = [];
  for (const m of messages) {
    if (m.role === 'user') {
      turns.push({ key: nextKey(), role: 'user', text: m.content, results: [], activities: [] });
      carried = [];
    } else if (m.role === 'assistant') {
      const calls = (m.tool_calls ?? []).map((c, i) => ({ id: c.id ?? `h${i}`, tool: c.name, input: c.args, done: true }));
      carried = [...carried, ...calls];
      if (m.content.trim()) {
        turns.push({ key: nextKey(), role: 'assistant', text: m.content, results: [], activities: carried });
        carried = [];
      }
    }
  }
  return turns;
}

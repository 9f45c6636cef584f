import type { EvalReport, MetricsSummary, QueryResult } from './report.js';

const num = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? '–' : v.toFixed(digits));
const ms = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(1));
const ratio = (hits: number, total: number) => (total === 0 ? '–' : `${hits}/${total}`);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const shortId = (id: string) => (id.length > 8 ? id.slice(0, 8) : id);

function metricColumns(ks: readonly number[]) {
  return [
    ...ks.map((k) => ({ head: `P@${k}`, get: (s: MetricsSummary) => num(s['precision@k'][String(k)]) })),
    ...ks.map((k) => ({ head: `R@${k}`, get: (s: MetricsSummary) => num(s['recall@k'][String(k)]) })),
  ];
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** The readable report (`report.md`): tables per search type and query type, then every query. */
export function renderMarkdown(report: EvalReport): string {
  const { config, dataset } = report;
  const ks = config.k;
  const types = Object.entries(dataset.query_types)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  const lines: string[] = [
    '# Retrieval evaluation',
    '',
    `- **Dataset**: ${dataset.path ?? '(in memory)'} — ${dataset.queries} queries (${types})` +
      (dataset.version || dataset.split ? `, version ${dataset.version ?? '?'}, split ${dataset.split ?? '?'}` : ''),
    `- **Generated**: ${report.generated_at}`,
    `- **Search**: ${config.mode === 'http' ? `over HTTP at ${config.url}` : `in process, user \`${config.user_id}\``}; ` +
      `types ${config.search_types.join(', ')}; top_k ${config.top_k}; k ${ks.join(', ')}` +
      (config.warmup ? '; one untimed warm-up call per type' : ''),
  ];
  if (report.setup) lines.push(`- **Setup**: ${cell(JSON.stringify(report.setup))}`);
  lines.push('', '## Summary', '', 'Averages over the non-edge queries; true negatives over the edge-case queries.', '');

  const cols = metricColumns(ks);
  lines.push(
    ...table(
      [
        'search type',
        'MRR',
        'NDCG@10',
        ...cols.map((c) => c.head),
        'true negatives',
        'false empties',
        'weak answers',
        'off-topic strong',
        'single-item @1',
        'errors',
        'latency p50 / p95 ms',
        'server p50 / p95 ms',
      ],
      config.search_types.flatMap((st) => {
        const s = report.summary[st];
        if (!s) return [];
        return [
          [
            `**${st}**`,
            num(s.mrr),
            num(s['ndcg@10']),
            ...cols.map((c) => c.get(s)),
            ratio(s.true_negatives, s.edge_queries),
            ratio(s.false_empties, s.evaluated),
            ratio(s.weak_answers, s.evaluated),
            ratio(s.edge_strong, s.edge_queries),
            ratio(s.single_item_at_rank1.hits, s.single_item_at_rank1.total),
            String(s.errors),
            `${ms(s.latency_ms.p50)} / ${ms(s.latency_ms.p95)}`,
            `${ms(s.retrieval_time_ms.p50)} / ${ms(s.retrieval_time_ms.p95)}`,
          ],
        ];
      }),
    ),
  );

  const notes = noticeLines(report);
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));

  lines.push('', '## By query type');
  for (const st of config.search_types) {
    const groups = report.by_query_type[st];
    if (!groups) continue;
    lines.push('', `### ${st}`, '');
    lines.push(
      ...table(
        ['query type', 'queries', 'MRR', 'NDCG@10', ...cols.map((c) => c.head), 'true negatives', 'single-item @1'],
        Object.entries(groups).map(([qt, s]) => [
          qt,
          String(s.queries),
          num(s.mrr),
          num(s['ndcg@10']),
          ...cols.map((c) => c.get(s)),
          ratio(s.true_negatives, s.edge_queries),
          ratio(s.single_item_at_rank1.hits, s.single_item_at_rank1.total),
        ]),
      ),
    );
  }

  lines.push('', '## Queries', '', 'Results show the first 8 characters of the top three item ids; ✓ marks an expected item.');
  const kMax = ks[ks.length - 1]!;
  for (const st of config.search_types) {
    const rows = report.queries.filter((q) => q.search_type === st);
    if (rows.length === 0) continue;
    lines.push('', `### ${st}`, '');
    lines.push(
      ...table(
        ['id', 'query', 'type', 'status', 'match', 'first hit', 'RR', 'NDCG@10', `R@${kMax}`, 'top results', 'ms'],
        rows.map((q) => [
          q.id,
          cell(q.query),
          q.query_type,
          q.status + (q.error ? ` (${cell(q.error).slice(0, 80)})` : ''),
          q.match ?? '–',
          q.first_relevant_rank === null ? '–' : String(q.first_relevant_rank),
          num(q.rr),
          num(q['ndcg@10']),
          num(q['r@k']?.[String(kMax)]),
          topResults(q),
          ms(q.latency_ms),
        ]),
      ),
    );
  }

  lines.push('', '## Definitions', '');
  for (const [name, text] of Object.entries(report.definitions)) lines.push(`- **${name}**: ${cell(text)}`);
  return `${lines.join('\n')}\n`;
}

function topResults(q: QueryResult): string {
  if (q.results.length === 0) return '(none)';
  const expected = new Set(q.expected.map((e) => e.item_id));
  const head = q.results.slice(0, 3).map((id) => `${shortId(id)}${expected.has(id) ? ' ✓' : ''}`);
  return head.join(', ') + (q.results.length > 3 ? ` (+${q.results.length - 3})` : '');
}

/** A short plain-text table (one line per search type) for the terminal. */
export function renderSummaryTable(report: EvalReport): string {
  const ks = report.config.k;
  const head = ['search', 'MRR', 'NDCG@10', `P@${ks[0]}`, ...ks.map((k) => `R@${k}`), 'TN', 'single@1', 'errors', 'p50 ms', 'p95 ms'];
  const rows = report.config.search_types.flatMap((st) => {
    const s = report.summary[st];
    if (!s) return [];
    return [
      [
        st,
        num(s.mrr),
        num(s['ndcg@10']),
        num(s['precision@k'][String(ks[0])]),
        ...ks.map((k) => num(s['recall@k'][String(k)])),
        ratio(s.true_negatives, s.edge_queries),
        ratio(s.single_item_at_rank1.hits, s.single_item_at_rank1.total),
        String(s.errors),
        ms(s.latency_ms.p50),
        ms(s.latency_ms.p95),
      ],
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/** `agentic: the search said agentic_unavailable (25 of 25 queries)`, one line per search type with notices. */
export function noticeLines(report: EvalReport): string[] {
  return report.config.search_types.flatMap((st) => {
    const rows = report.queries.filter((q) => q.search_type === st);
    const counts = new Map<string, number>();
    for (const q of rows) for (const n of q.notices ?? []) counts.set(n, (counts.get(n) ?? 0) + 1);
    if (counts.size === 0) return [];
    const said = [...counts].map(([n, c]) => `${n} (${c} of ${rows.length} queries)`).join(', ');
    return [`${st}: the search said ${said}`];
  });
}

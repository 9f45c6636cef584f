/**
 * British and American English name the same things differently ("colour" / "color", "cv" /
 * "resume", "aubergine" / "eggplant"), and the stemmer keeps each spelling its own word. Saved
 * screenshots are written in either; a person searches in theirs. Keyword search takes each side
 * as the other (services/search/expansion.ts), counted as the word typed: it is the same word.
 *
 * `BOTH_WAYS`: spelling variants, either side typed finds the other.
 * `ONE_WAY`: a word with another sense in the other variety leads only from the unambiguous side
 * ("flat" to look for in Tokyo is an apartment; "apartment" typed does not mean "flat").
 * Left out: words whose other sense is common on either side ("holiday", "chips", "tube",
 * "underground", "lift", "fall", "tap"), which would turn unrelated items into matches.
 */

const BOTH_WAYS: readonly (readonly [string, string])[] = [
  ['colour', 'color'],
  ['colours', 'colors'],
  ['colourful', 'colorful'],
  ['flavour', 'flavor'],
  ['flavours', 'flavors'],
  ['favourite', 'favorite'],
  ['favourites', 'favorites'],
  ['honour', 'honor'],
  ['humour', 'humor'],
  ['labour', 'labor'],
  ['neighbour', 'neighbor'],
  ['neighbourhood', 'neighborhood'],
  ['harbour', 'harbor'],
  ['behaviour', 'behavior'],
  ['savoury', 'savory'],
  ['centre', 'center'],
  ['centres', 'centers'],
  ['theatre', 'theater'],
  ['theatres', 'theaters'],
  ['metre', 'meter'],
  ['litre', 'liter'],
  ['fibre', 'fiber'],
  ['organise', 'organize'],
  ['organiser', 'organizer'],
  ['organisation', 'organization'],
  ['realise', 'realize'],
  ['recognise', 'recognize'],
  ['customise', 'customize'],
  ['personalise', 'personalize'],
  ['personalised', 'personalized'],
  ['optimise', 'optimize'],
  ['prioritise', 'prioritize'],
  ['summarise', 'summarize'],
  ['visualise', 'visualize'],
  ['analyse', 'analyze'],
  ['catalogue', 'catalog'],
  ['dialogue', 'dialog'],
  ['programme', 'program'],
  ['programmes', 'programs'],
  ['travelling', 'traveling'],
  ['traveller', 'traveler'],
  ['travellers', 'travelers'],
  ['cancelled', 'canceled'],
  ['jewellery', 'jewelry'],
  ['grey', 'gray'],
  ['aluminium', 'aluminum'],
  ['pyjamas', 'pajamas'],
  ['moustache', 'mustache'],
  ['defence', 'defense'],
  ['licence', 'license'],
  ['doughnut', 'donut'],
  ['doughnuts', 'donuts'],
  ['yoghurt', 'yogurt'],
  ['ageing', 'aging'],
  ['gynaecologist', 'gynecologist'],
  ['paediatrician', 'pediatrician'],
  ['anaesthetic', 'anesthetic'],
  ['mould', 'mold'],
  ['cosy', 'cozy'],
  ['sceptical', 'skeptical'],
  ['enrol', 'enroll'],
  ['instalment', 'installment'],
  ['judgement', 'judgment'],
  ['skilful', 'skillful'],
  ['coriander', 'cilantro'],
  ['prawn', 'shrimp'],
  ['prawns', 'shrimp'],
  ['takeaway', 'takeout'],
  ['cv', 'resume'],
  ['maths', 'math'],
];

const ONE_WAY: readonly (readonly [string, string])[] = [
  ['flat', 'apartment'],
  ['flats', 'apartments'],
  ['aubergine', 'eggplant'],
  ['courgette', 'zucchini'],
  ['trainers', 'sneakers'],
  ['jumper', 'sweater'],
  ['trousers', 'pants'],
  ['nappy', 'diaper'],
  ['nappies', 'diapers'],
  ['motorway', 'highway'],
  ['pavement', 'sidewalk'],
  ['petrol', 'gasoline'],
  ['biscuits', 'cookies'],
  ['sweets', 'candy'],
  ['crisps', 'chips'],
  ['rubbish', 'trash'],
  ['timetable', 'schedule'],
  ['chemist', 'pharmacy'],
  ['tyre', 'tire'],
  ['tyres', 'tires'],
  ['cheque', 'check'],
  ['uni', 'university'],
  ['draught', 'draft'],
  ['practise', 'practice'],
];

/** For each word, the word the other variety uses for the same thing. */
const WORD_VARIANTS: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const [uk, us] of BOTH_WAYS) m.set(uk, us).set(us, uk);
  for (const [from, to] of ONE_WAY) m.set(from, to);
  return m;
})();

/** Both sides of every spelling pair: the words whose plural is the same spelling difference. */
const SPELLINGS: ReadonlySet<string> = new Set(BOTH_WAYS.flat());

/**
 * The other variety's word for `word`, as typed or, for a plural of a spelling pair's word
 * ("neighbourhoods", "metres"), for its singular: keyword search stems the alternative, so the
 * singular finds the plural too. Only spelling pairs lose their "s": a ONE_WAY word's plural
 * may be another word ("flats" is listed itself), and short words may be names ("cvs").
 */
export function wordVariant(word: string): string | undefined {
  const own = WORD_VARIANTS.get(word);
  if (own !== undefined || !word.endsWith('s') || word.length < 6) return own;
  const singular = word.slice(0, -1);
  return SPELLINGS.has(singular) ? WORD_VARIANTS.get(singular) : undefined;
}

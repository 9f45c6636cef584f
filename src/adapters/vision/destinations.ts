/**
 * Places people travel to, by name: what a vision model knows without being told that
 * "Asakusa" or "Hokkaido" is a trip. The offline rules use it for two things: a destination
 * named on a screenshot counts towards Travel (keyword-rules.ts), and "City, Country" pairs are
 * kept as location tags (ocr-analysis.ts).
 *
 * Names that are also common words or people's names ("Nice", "Bath", "Split", "Victoria",
 * "Georgia", "Jordan", "Chad") are left out: a false Travel is worse than a missed one.
 */

export const COUNTRIES = [
  'Japan', 'China', 'Korea', 'South Korea', 'Taiwan', 'Thailand', 'Vietnam', 'Singapore', 'Malaysia',
  'Indonesia', 'Philippines', 'India', 'Australia', 'New Zealand', 'USA', 'US', 'United States', 'Canada',
  'Mexico', 'Brazil', 'Argentina', 'Peru', 'Chile', 'UK', 'United Kingdom', 'England', 'Scotland', 'Ireland',
  'France', 'Spain', 'Portugal', 'Italy', 'Germany', 'Austria', 'Switzerland', 'Netherlands', 'Belgium',
  'Denmark', 'Norway', 'Sweden', 'Finland', 'Iceland', 'Greece', 'Turkey', 'Croatia', 'Czechia', 'Poland',
  'Hungary', 'Egypt', 'Morocco', 'South Africa', 'Kenya', 'UAE', 'Israel',
];

/** Cities and regions known the world over as destinations. */
const WORLD = [
  'Tokyo', 'Kyoto', 'Osaka', 'Seoul', 'Busan', 'Jeju', 'Beijing', 'Shanghai', 'Hong Kong', 'Macau', 'Taipei',
  'Bangkok', 'Chiang Mai', 'Phuket', 'Bali', 'Hanoi', 'Ho Chi Minh', 'Da Nang', 'Hoi An', 'Kuala Lumpur',
  'Manila', 'Cebu', 'Mumbai', 'Delhi', 'Goa', 'Dubai', 'Abu Dhabi', 'Doha', 'Istanbul', 'Cappadocia',
  'Paris', 'London', 'Edinburgh', 'Dublin', 'Amsterdam', 'Brussels', 'Bruges', 'Berlin', 'Munich', 'Vienna',
  'Prague', 'Budapest', 'Krakow', 'Copenhagen', 'Stockholm', 'Oslo', 'Helsinki', 'Reykjavik', 'Zurich',
  'Geneva', 'Lucerne', 'Rome', 'Venice', 'Milan', 'Naples', 'Amalfi', 'Tuscany', 'Sicily', 'Barcelona',
  'Madrid', 'Seville', 'Lisbon', 'Porto', 'Santorini', 'Mykonos', 'Athens', 'Dubrovnik', 'Marrakech',
  'Cairo', 'Cape Town', 'New York', 'NYC', 'Manhattan', 'Brooklyn', 'Los Angeles', 'San Francisco',
  'Las Vegas', 'Chicago', 'Miami', 'Hawaii', 'Honolulu', 'Maui', 'Seattle', 'Boston', 'New Orleans',
  'Vancouver', 'Toronto', 'Montreal', 'Banff', 'Mexico City', 'Cancun', 'Tulum', 'Havana', 'Rio de Janeiro',
  'Buenos Aires', 'Patagonia', 'Machu Picchu', 'Cusco', 'Sydney', 'Melbourne', 'Queenstown', 'Auckland',
  'Maldives', 'Fiji', 'Tahiti',
];

/** Japan, where much of what people screenshot for a trip is: prefectures, cities, well-known areas. */
const JAPAN = [
  'Hokkaido', 'Aomori', 'Iwate', 'Miyagi', 'Akita', 'Yamagata', 'Fukushima', 'Ibaraki', 'Tochigi', 'Gunma',
  'Saitama', 'Chiba', 'Kanagawa', 'Niigata', 'Toyama', 'Ishikawa', 'Fukui', 'Yamanashi', 'Nagano', 'Gifu',
  'Shizuoka', 'Aichi', 'Mie', 'Shiga', 'Hyogo', 'Nara', 'Wakayama', 'Tottori', 'Shimane', 'Okayama',
  'Hiroshima', 'Yamaguchi', 'Tokushima', 'Kagawa', 'Ehime', 'Kochi', 'Fukuoka', 'Saga', 'Nagasaki',
  'Kumamoto', 'Oita', 'Miyazaki', 'Kagoshima', 'Okinawa', 'Kyushu', 'Shikoku', 'Honshu', 'Kansai', 'Kanto',
  'Sapporo', 'Otaru', 'Hakodate', 'Sendai', 'Yokohama', 'Kamakura', 'Hakone', 'Nikko', 'Kanazawa',
  'Takayama', 'Shirakawa-go', 'Matsumoto', 'Nagoya', 'Kobe', 'Himeji', 'Uji', 'Naoshima', 'Miyajima',
  'Beppu', 'Yufuin', 'Hakata', 'Tenjin', 'Kitakyushu', 'Kawaguchiko', 'Fuji', 'Mt Fuji', 'Mount Fuji',
  'Shibuya', 'Shinjuku', 'Harajuku', 'Ginza', 'Asakusa', 'Akihabara', 'Ikebukuro', 'Roppongi', 'Ueno',
  'Odaiba', 'Shimokitazawa', 'Nakameguro', 'Daikanyama', 'Ebisu', 'Koenji', 'Kichijoji', 'Nakano',
  'Yanaka', 'Omotesando', 'Gion', 'Arashiyama', 'Fushimi Inari', 'Dotonbori', 'Namba', 'Umeda', 'Shinsekai',
  'Noboribetsu', 'Furano', 'Biei', 'Niseko', 'Abashiri', 'Shiretoko',
];

/** Korea and Taiwan's well-known areas. */
const KOREA_TAIWAN = [
  'Gangnam', 'Hongdae', 'Myeongdong', 'Itaewon', 'Insadong', 'Seongsu', 'Bukchon', 'Gyeongju', 'Incheon',
  'Jiufen', 'Tainan', 'Kaohsiung', 'Taichung', 'Hualien',
];

/** A TikTok or Instagram place tag: the post is pinned to somewhere you can go. */
const PLACE_TAG = /\b(?:posts? (?:of|about) this place|posted about this place)\b/i;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NAMES = [...new Set([...COUNTRIES.filter((c) => c.length > 2), ...WORLD, ...JAPAN, ...KOREA_TAIWAN])];
/** One pattern for every name: whole words, any case (OCR and hashtags lose the capitals). */
const NAME_PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}])(${NAMES.sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
  'giu',
);

/** Distinct destinations named in the text (and a place tag), where each first appears. */
export function destinationsIn(text: string): { name: string; at: number }[] {
  const found = new Map<string, number>();
  for (const m of text.matchAll(NAME_PATTERN)) {
    const name = m[1]!.toLowerCase();
    if (!found.has(name)) found.set(name, m.index);
  }
  const tag = PLACE_TAG.exec(text);
  if (tag) found.set('place tag', tag.index);
  return [...found].map(([name, at]) => ({ name, at }));
}

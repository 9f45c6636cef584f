/**
 * Words that name the same thing, and general words with the kinds of thing they name. Keyword
 * search takes them as the word typed (services/search/expansion.ts, `exact`), so "xmas" is
 * answered by an item about Christmas and "lodging" by a hotel, as fully as if the item used
 * the typed word.
 *
 * Why a table of its own beside the concept lexicon (concepts.ts): a concept groups words of
 * one topic, and most of its words are only related ("park" and "disneyland", "hotel" and
 * "spa"), so a concept alternative earns only a share of the typed word's coverage — a full
 * share would let off-topic queries look answered. That share left one-word topics a new user
 * types ("lodging", "xmas", "eateries", "matsuri") weak although the right items came first.
 * The words here are not related but the same: a synonym, a spelling, an abbreviation, a
 * loanword, or a kind of the general word typed.
 *
 * Rules for an entry (test/unit/synonyms.test.ts checks the first two):
 * - one word per term, never a phrase: keyword search takes each word of an alternative on its
 *   own, so "machine learning" for "ml" would let "vending machine" answer it;
 * - no stop word, and no word whose other sense is common ("fall" for waterfalls, "present"
 *   for gifts, "track" for songs, "squid" for seafood);
 * - general vocabulary of saved screenshots, never names of particular items.
 */

/** Each line: words that mean the same thing; any one typed takes the others as itself. */
const SAME: readonly string[] = [
  // seasons and events
  'xmas, christmas, christmastime, yuletide',
  'matsuri, festival, festivals, fest',
  'fireworks, hanabi',
  'exhibition, exhibitions, exhibit, exhibits, expo',
  'concert, concerts, gig, gigs',
  'karaoke, noraebang',
  'souvenir, souvenirs, omiyage, keepsake',
  'horoscope, horoscopes, astrology, zodiac',
  // places to eat, drink and stay
  'eatery, eateries, restaurant, restaurants',
  'cafe, cafes, café, cafés, coffeehouse, kissaten',
  'pub, pubs, tavern, taverns',
  'lodging, lodgings, accommodation, accommodations',
  'bathhouse, bathhouses, sento, jjimjilbang',
  'shrine, shrines, jinja',
  'grocery, groceries, supermarket, supermarkets',
  'konbini, kombini, conbini, combini',
  'sangenjaya, sancha',
  'akihabara, akiba',
  'kawagoe, koedo',
  'fuji, fujisan',
  'foliage, koyo, momiji',
  'ichigo, strawberry, strawberries',
  'onigiri, riceball, riceballs',
  'buffet, buffets, tabehodai, tabehoudai',
  'stall, stalls, yatai, pojangmacha',
  // food and drink
  'bbq, barbecue, barbeque',
  'burger, burgers, hamburger, hamburgers',
  'sweets, desserts, dessert, confectionery, confections',
  'vegetables, vegetable, veggies, veg',
  'alcohol, booze, liquor, alcoholic',
  'cheap, cheaper, cheapest, inexpensive, affordable',
  // getting around
  'subway, metro',
  'train, trains, railway, railways, railroad',
  'plane, planes, airplane, airplanes, aeroplane, flight, flights',
  'car, cars, automobile, automobiles, vehicle, vehicles',
  'mountain, mountains, mount, mt',
  'sea, ocean',
  'beach, beaches, seaside, seashore',
  'hike, hikes, hiking, trek, treks, trekking',
  'scenery, scenic, landscape, landscapes, vista, vistas, panorama, panoramic',
  'island, islands, isle, isles',
  'cave, caves, cavern, caverns',
  'forest, forests, woods, woodland, woodlands',
  'sunset, sunsets, sundown, dusk',
  'sunrise, sunrises, dawn',
  'rain, rainy, raining',
  'snow, snowy, snowfall',
  'bike, bikes, bicycle, bicycles',
  'motorbike, motorbikes, motorcycle, motorcycles',
  'taxi, taxis, cab, cabs',
  // people and animals
  'kids, kid, children, child, kiddos',
  'mother, mom, mum, mommy', // also the British/American pair word-variants.ts would hold
  'father, dad, daddy',
  'grandma, grandmother, granny',
  'grandpa, grandfather',
  'boyfriend, bf',
  'girlfriend, gf',
  'doctor, doctors, physician, physicians, dr',
  'dog, dogs, doggo',
  'cat, cats, kitty',
  'turtle, turtles, terrapin, terrapins',
  // things
  'photo, photos, photograph, photographs, picture, pictures, pic, pics',
  'movie, movies, film, films',
  'tv, television, telly',
  'cartoon, cartoons, animation, animated',
  'documentary, documentaries, docuseries',
  'statue, statues, sculpture, sculptures',
  'song, songs, tune, tunes',
  'video, videos, clip, clips',
  'perfume, perfumes, fragrance, fragrances, cologne, colognes, scent, scents',
  'makeup, cosmetics',
  'sunscreen, sunblock, spf',
  'jewelry, jewellery, jewels',
  'clothes, clothing, apparel, garments, attire',
  'sneakers, sneaker, kicks',
  'smartphone, smartphones, phone, phones, cellphone, iphone',
  'website, websites, webpage, webpages',
  'coding, programming',
  'programmer, programmers, coder, coders, developer, developers, dev, devs',
  'salary, salaries, wage, wages, paycheck',
  'layoff, layoffs, redundancy, redundancies',
  'layover, layovers, stopover, stopovers',
  'timetable, timetables, schedule, schedules',
  'chintai, rental, rentals',
  'wellbeing, wellness',
];

/**
 * A general word and kinds of what it names: typed, the general word takes each kind as
 * itself ("noodles" is answered by ramen); a kind typed does not take the general word (a
 * query for ramen is not answered by soba).
 */
const KINDS: readonly (readonly [general: string, kinds: string])[] = [
  // cities by their nicknames (one way: "denver" typed does not mean the number 5280)
  ['5280', 'denver'],
  ['philly', 'philadelphia'],
  ['nola', 'orleans'],
  [
    'lodging, lodgings, accommodation, accommodations',
    'hotel, hotels, ryokan, inn, inns, hostel, hostels, motel, guesthouse, resort, airbnb, minshuku',
  ],
  ['hotel, hotels', 'ryokan, inn, inns, motel'],
  ['eatery, eateries, restaurant, restaurants', 'izakaya, bistro, diner, trattoria, brasserie, steakhouse'],
  ['eatery, eateries', 'cafe, cafes, café'],
  ['bar, bars, pub, pubs', 'izakaya, speakeasy, taproom'],
  ['noodle, noodles', 'ramen, udon, soba, somen, pho, yakisoba, tsukemen, ramyeon'],
  ['seafood', 'fish, shrimp, prawns, crab, oyster, oysters, lobster, scallop, scallops, eel, sashimi'],
  ['sweets, desserts, dessert, sugary', 'cake, cakes, pastry, pastries, candy, chocolate, parfait, mochi, wagashi, pudding, cookies'],
  ['caffeine, coffee', 'espresso, latte, cappuccino, americano'],
  ['tea', 'matcha, sencha, chai'],
  [
    'drinks, beverages, alcohol, booze, liquor',
    'beer, wine, sake, shochu, umeshu, whisky, whiskey, cocktail, cocktails, soju, makgeolli, highball',
  ],
  ['bbq, barbecue, barbeque', 'yakiniku, galbi, samgyeopsal'],
  ['dog, dogs', 'puppy, puppies'],
  ['cat, cats', 'kitten, kittens'],
  ['bakery, bakeries', 'patisserie, boulangerie'],
  ['bread', 'baguette, croissant, croissants, brioche, sourdough'],
  ['supplement, supplements', 'vitamin, vitamins, peptide, peptides, probiotic, probiotics, collagen'],
  ['dumpling, dumplings', 'gyoza, mandu, wonton, wontons, xiaolongbao'],
  ['chicken', 'karaage, yakitori'],
  ['beef', 'wagyu, gyutan, steak'],
  ['pork', 'tonkatsu, chashu'],
  ['pen, pens', 'ballpoint, rollerball'],
  ['jewelry, jewellery', 'necklace, necklaces, bracelet, bracelets, earrings, pendant'],
  ['makeup, cosmetics', 'lipstick, mascara, eyeliner, concealer, eyeshadow'],
  ['massage, massages', 'shiatsu, reflexology'],
  ['cartoon, cartoons, animation', 'anime'],
  ['comics, comic', 'manga, manhwa, webtoon, webtoons'],
  ['gaming, videogames, videogame', 'nintendo, playstation, xbox, esports'],
  ['ai', 'llm, llms, gpt, chatgpt, chatbot, chatbots, genai'],
  ['nightlife', 'bars, izakaya, pubs, nightclub, nightclubs'],
  ['music', 'songs, song, album, albums, playlist, playlists'],
  ['books, book', 'novel, novels, memoir, paperback'],
];

function words(line: string): string[] {
  return line
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
}

/** For each general word or synonym as written (lowercase), the words typing it also means. */
export const SYNONYMS: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, Set<string>>();
  const add = (from: string, to: readonly string[]) => {
    const set = m.get(from) ?? new Set<string>();
    for (const t of to) if (t !== from) set.add(t);
    m.set(from, set);
  };
  for (const line of SAME) {
    const group = words(line);
    for (const w of group) add(w, group);
  }
  for (const [general, kinds] of KINDS) {
    const k = words(kinds);
    for (const w of words(general)) add(w, k);
  }
  return new Map([...m].map(([w, set]) => [w, [...set]]));
})();

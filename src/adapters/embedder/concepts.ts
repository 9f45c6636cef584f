/**
 * A hand-written concept lexicon for the offline semantic embedder: the everyday vocabulary of
 * saved screenshots (travel, food, coding and AI tools, beauty, shopping, culture, nature)
 * grouped into concepts, so that words the word vectors miss or get wrong still meet:
 * "hot spring" / "onsen" / "sento", "coding" / "programming" / "IDE", "izakaya" / "pub".
 *
 * Each concept has
 * - terms: words and phrases (up to 4 words) that mean it, matched after the same analysis as
 *   any text (lowercase, stop words out, stemmed), so "hot springs" matches "hot spring".
 *   A leading "~" marks a looser member, counted at half weight ("~spa" for hot springs).
 * - gloss: common English words whose word vectors stand for the concept in the semantic part
 *   of the vector. Glosses matter most for words the word vectors do not know or place badly
 *   (loanwords such as "ryokan", tech words newer than the vectors, and phrases: "hot" + "spring"
 *   averaged is weather, not bathing).
 *
 * Keep it general: entries are what any collection of this kind talks about, never names of
 * particular items from an evaluation set. Changing this file changes the vectors, so it needs
 * a new local model name (see models.ts).
 */
import { analyzeText } from './local-text.js';

export interface ConceptDefinition {
  id: string;
  terms: string;
  gloss: string;
}

const c = (id: string, terms: string, gloss: string): ConceptDefinition => ({ id, terms, gloss });

export const CONCEPTS: readonly ConceptDefinition[] = [
  // --- stays and rest ---------------------------------------------------------------------
  c('hot-spring',
    'onsen, hot spring, thermal spring, thermal bath, hot bath, rotenburo, open-air bath, outdoor bath, ' +
      'sento, public bath, bathhouse, bath house, footbath, foot bath, hot-spring bath, hot spring resort, ' +
      'spring water bath, jjimjilbang, geyser, ~spa, ~bath, ~sauna',
    'spa bath springs thermal bathing resort'),
  c('spa',
    'spa, day spa, sauna, massage, wellness, jacuzzi, hammam, steam room, facial, ~onsen, ~hot spring',
    'spa massage sauna wellness relaxation'),
  c('ryokan',
    'ryokan, minshuku, japanese inn, traditional inn, mountain inn, tatami, tatami room, futon, kaiseki, ' +
      'yukata, machiya, ~inn, ~guesthouse',
    'inn hotel traditional lodging hospitality'),
  c('accommodation',
    'hotel, accommodation, lodging, lodge, inn, hostel, guesthouse, guest house, airbnb, motel, resort, ' +
      'villa, cabin, cottage, capsule hotel, bed breakfast, place stay, overnight stay, ' +
      'suite, ryokan, minshuku, glamping, campsite, ~stay',
    'hotel accommodation lodging inn resort rooms'),
  c('budget',
    'budget, cheap, affordable, inexpensive, low cost, low-cost, bargain, economical, backpacker, ' +
      'value money, save money, discount, ~deal, free entry, free admission',
    'cheap affordable budget inexpensive bargain'),
  c('luxury',
    'luxury, luxurious, upscale, high-end, premium, exclusive, five-star, lavish, opulent, splurge, ' +
      'fine dining, michelin, first class, vip, elegant, sophisticated, ~boutique',
    'luxury luxurious upscale elegant exclusive'),
  c('relax',
    'relax, relaxing, relaxation, unwind, chill, calm, peaceful, tranquil, serene, quiet, ' +
      'restful, healing, retreat, getaway, soothing, slow travel, zen',
    'relax relaxing peaceful tranquil calm'),

  // --- food and drink ---------------------------------------------------------------------
  c('ramen',
    'ramen, tonkotsu, tsukemen, shoyu ramen, miso ramen, noodle soup, ramen shop, ~noodle',
    'noodles noodle soup broth'),
  c('noodles',
    'noodle, udon, soba, pho, yakisoba, naengmyeon, japchae, pasta, spaghetti, ramen, lo mein',
    'noodles noodle pasta'),
  c('sushi',
    'sushi, sashimi, nigiri, maki, omakase, sushi bar, conveyor belt sushi, kaitenzushi, ~tuna, ~seafood',
    'sushi fish seafood'),
  c('seafood',
    'seafood, fish, crab, oyster, shrimp, prawn, lobster, squid, octopus, eel, unagi, sea urchin, uni, ' +
      'scallop, clam, salmon, tuna, fish market',
    'seafood fish crab shellfish'),
  c('grill',
    'yakiniku, barbecue, bbq, korean bbq, grill, grilled, yakitori, skewer, galbi, samgyeopsal, bulgogi, ' +
      'steak, steakhouse, wagyu, beef, kobe beef, pork belly, meat',
    'barbecue grilled meat beef steak'),
  c('bar',
    'izakaya, bar, pub, tavern, brewery, beer, craft beer, sake, cocktail, wine bar, speakeasy, whisky, ' +
      'whiskey, soju, makgeolli, drink, drinking, happy hour, highball, nightcap, bartender, ~nightlife',
    'bar pub drinks beer cocktails'),
  c('wine',
    'wine, winery, vineyard, sommelier, wine tasting, wine list, red wine, white wine, ~wine bar',
    'wine winery vineyard'),
  c('cafe',
    'cafe, coffee, coffee shop, espresso, latte, cappuccino, barista, kissaten, roastery, ' +
      'cold brew, flat white, americano, coffeehouse, ~brunch, ~tea house',
    'cafe coffee espresso'),
  c('tea',
    'tea, matcha, green tea, tea ceremony, teahouse, tea house, hojicha, sencha, tea room, ~cafe',
    'tea ceremony'),
  c('brunch',
    'brunch, breakfast, french toast, pancake, waffle, eggs benedict, avocado toast, morning set, ' +
      'morning meal, ~cafe',
    'brunch breakfast pancakes'),
  c('dessert',
    'dessert, sweet, sweets, cake, pastry, ice cream, gelato, soft serve, parfait, mochi, crepe, pudding, ' +
      'custard, creme brulee, chocolate, patisserie, donut, doughnut, taiyaki, dango, wagashi, bingsu, ' +
      'shaved ice, kakigori, cheesecake, tart, macaron, cookie, ~bakery',
    'dessert sweets cake pastry'),
  c('bakery',
    'bakery, bread, croissant, boulangerie, baked goods, baguette, bun, ~pastry',
    'bakery bread pastry'),
  c('street-food',
    'street food, yatai, food stall, stall, food truck, night market, hawker, snack, takoyaki, okonomiyaki, ' +
      'tteokbokki, skewer, market food, ~food hall',
    'street food stalls vendors snacks'),
  c('restaurant',
    'restaurant, eatery, diner, dining, bistro, trattoria, cuisine, eat, dinner, lunch, meal, food, ' +
      'foodie, gourmet, tasting menu, set menu, kaiseki, chef, menu, reservation, dish',
    'restaurant dining food cuisine meal'),
  c('food-market',
    'food hall, depachika, basement food hall, fish market, food market, market, marketplace, ' +
      'morning market, farmers market, ~street food',
    'market food stalls'),
  c('mexican',
    'mexican, taco, burrito, nachos, quesadilla, salsa, guacamole, tex-mex, enchilada, tortilla, margarita',
    'mexican tacos burrito'),
  c('italian', 'italian, pizza, pizzeria, pasta, risotto, trattoria, gelato, espresso', 'italian pizza pasta'),
  c('korean-food',
    'kimchi, bibimbap, tteokbokki, bulgogi, korean food, korean cuisine, samgyeopsal, galbi, jjigae',
    'korean food cuisine'),
  c('japanese-food',
    'japanese food, japanese cuisine, washoku, sushi, ramen, tempura, tonkatsu, udon, soba, izakaya, ' +
      'kaiseki, yakitori, okonomiyaki, bento, onigiri, tofu, miso',
    'japanese food cuisine'),
  c('vegetarian', 'vegetarian, vegan, plant-based, meatless, tofu, shojin ryori', 'vegetarian vegan'),
  c('fruit-picking',
    'fruit picking, strawberry picking, apple picking, grape picking, orchard, strawberry, berry, ' +
      'peach, grape, melon, cherry picking, farm, harvest, ~fruit',
    'fruit strawberries orchard farm picking'),

  // --- sights and nature --------------------------------------------------------------------
  c('sightseeing',
    'sightseeing, attraction, landmark, tourist, tourism, must-visit, must see, must-see, destination, ' +
      'spot, places visit, bucket list, tourist spot, ~visit, highlight, ~guide',
    'sightseeing tourist attractions destination landmark'),
  c('itinerary',
    'itinerary, day trip, travel guide, trip, travel, tour, road trip, route, travel plan, weekend trip, ' +
      'day 1, day 2, day 3, stopover, excursion, vacation, holiday, travel tip, ~guide',
    'itinerary trip travel tour'),
  c('viewpoint',
    'viewpoint, view, observation deck, observatory, lookout, panorama, panoramic, scenic, vista, overlook, ' +
      'skyline, rooftop, sky bridge, skydeck, observation, outlook, city view, ocean view, mountain view',
    'viewpoint panoramic scenic views overlook'),
  c('sunset',
    'sunset, sunrise, dusk, golden hour, twilight, sundown, evening sky, afterglow, magic hour',
    'sunset sunrise dusk twilight'),
  c('night-view',
    'night view, night scene, city light, illumination, yakei, night skyline, ~night',
    'night lights illuminated skyline'),
  c('photography',
    'photography, photo, photograph, photographer, photogenic, instagrammable, instagram-worthy, picture, ' +
      'photo spot, photo op, camera, shoot, snapshot, selfie, shot',
    'photography photographs camera pictures'),
  c('nature',
    'nature, natural, scenery, landscape, wilderness, outdoors, outdoor, countryside, national park, forest, ' +
      'greenery, valley, gorge, canyon, wildlife, scenic nature, ~park',
    'nature scenery landscape wilderness outdoors'),
  c('mountain',
    'mountain, mount, mt, peak, summit, volcano, volcanic, alps, highland, hill, ridge, alpine, ' +
      'mountain view, caldera, crater',
    'mountain mountains peak volcano hills'),
  c('hiking',
    'hiking, hike, trek, trekking, trail, walking trail, climb, climbing, mountaineering, backpacking, ' +
      'nature walk, hiking route, trailhead, ascent',
    'hiking trails trekking walking climbing'),
  c('water',
    'lake, pond, river, stream, creek, riverside, waterfront, lakeside, dam, reservoir, ~waterfall',
    'lake river water'),
  c('waterfall', 'waterfall, cascade, taki', 'waterfall cascade river'),
  c('coast',
    'beach, coast, coastal, seaside, ocean, sea, bay, shore, island, cape, seashore, surf, cliff, harbor, ' +
      'harbour, port, lighthouse',
    'beach coast sea ocean seaside'),
  c('flowers',
    'flower, flower field, blossom, bloom, blooming, lavender, tulip, sunflower, cherry blossom, sakura, ' +
      'hydrangea, wisteria, cosmos, poppy, petal, hanami, plum blossom, rapeseed, nemophila, rose, ' +
      'flower garden, azalea, iris, lily, ~garden',
    'flowers blossoms bloom gardens'),
  c('cherry-blossom', 'cherry blossom, sakura, hanami, ~plum blossom', 'cherry blossoms spring flowers'),
  c('autumn-leaves',
    'autumn leaves, fall foliage, foliage, koyo, momiji, maple, autumn, fall color, autumn color, ginkgo',
    'autumn foliage leaves maple'),
  c('winter',
    'snow, snowy, ski, skiing, snowboard, snowboarding, winter, ice, frozen, drift ice, snowfall, ' +
      'snow festival, ski resort',
    'snow winter ski'),
  c('garden',
    'garden, botanical garden, japanese garden, zen garden, park, greenhouse, arboretum, ~flower garden',
    'garden gardens park botanical'),
  c('animals',
    'zoo, aquarium, animal, wildlife, bear, deer, monkey, cat cafe, owl cafe, safari, penguin, marine park, ' +
      'dolphin, fox, rabbit, bird, petting zoo',
    'animals zoo wildlife aquarium'),
  c('temple',
    'temple, shrine, torii, pagoda, buddha, buddhist, shinto, jinja, monastery, sanctuary, worship, ' +
      'prayer, pilgrimage, sacred, great buddha',
    'temple shrine buddhist sacred'),
  c('history',
    'castle, historic, historical, history, heritage, old town, ancient, samurai, edo, feudal, ruins, ' +
      'world heritage, unesco, preserved, century-old, ~traditional',
    'historic history heritage ancient'),
  c('art',
    'museum, art, gallery, exhibition, exhibit, installation, artwork, artist, art museum, digital art, ' +
      'contemporary art, modern art, design exhibition, sculpture, painting, art gallery, creator',
    'museum art gallery exhibition'),
  c('design',
    'design, designer, architecture, architect, interior design, interior, graphic design, product design, ' +
      'typography, ~exhibition',
    'design architecture designer'),
  c('immersive',
    'immersive, interactive, ~experience, participatory, virtual reality, vr, escape room, ' +
      'projection mapping',
    'interactive immersive experience'),
  c('activity',
    'activity, activities, fun, ~experience, excursion, outing, leisure, recreation, ~tour, ' +
      'attraction',
    'activities fun leisure recreation'),
  c('theme-park',
    'theme park, amusement park, ride, roller coaster, disneyland, disney, universal studios, ' +
      'ferris wheel, water park',
    'amusement park rides'),

  // --- shopping, culture, activities -------------------------------------------------------
  c('shopping',
    'shopping, shop, store, boutique, mall, department store, shopping street, shopping arcade, ' +
      'shotengai, retail, outlet, buy, purchase, shopping district, flagship store, ~market',
    'shopping shops stores boutique mall'),
  c('vintage',
    'vintage, secondhand, second-hand, thrift, thrift store, used, pre-owned, antique, retro, flea market, ' +
      'resale, consignment',
    'vintage secondhand thrift antique retro'),
  c('souvenir',
    'souvenir, gift, keepsake, memento, omiyage, present, bring home, take home, local product, ' +
      'local specialty, ~handmade, ~craft',
    'souvenirs gifts memorabilia'),
  c('craft',
    'craft, handmade, handcrafted, hand carve, carving, carve, crafting, pottery, ceramics, woodworking, ' +
      'weaving, dyeing, indigo, calligraphy, origami, lacquer, artisan, craftsman, craftsmanship, ' +
      'woodwork, glassblowing, kintsugi, diy',
    'craft handmade pottery woodworking artisan'),
  c('class',
    'class, lesson, course, school, learn, learning, teach, teaching, tutorial, workshop, instructor, ' +
      '~study, beginner',
    'class lesson learn teaching school'),
  c('creative',
    'creative, creativity, art, artistic, drawing, painting, draw, paint, craft, design, sketch, ' +
      'illustration, diy, ~create',
    'creative art drawing painting design'),
  c('cooking-class',
    'cooking class, cooking lesson, sushi making, make sushi, cooking experience, food workshop, ' +
      'baking class, ~cooking',
    'cooking class lesson'),
  c('anime',
    'anime, manga, otaku, cosplay, figurine, gundam, pokemon, ghibli, studio ghibli, comic, ' +
      'animation, cartoon, vtuber, character goods, mangaka, ~akihabara',
    'anime manga comics animation cartoon'),
  c('games',
    'game, gaming, video game, arcade, game center, nintendo, playstation, retro game, esports, pachinko, ' +
      'claw machine, board game',
    'games gaming arcade'),
  c('screen',
    'tv show, drama, kdrama, netflix, movie, film, tv series, cinema, filming location, anime series, ' +
      'episode',
    'television drama series film movie'),
  c('music',
    'concert, music, live music, kpop, band, idol, karaoke, live house, jazz, record store, vinyl, dj',
    'music concert band'),
  c('festival',
    'festival, matsuri, event, fireworks, parade, celebration, lantern, carnival, popup, ' +
      'limited time, seasonal event',
    'festival celebration fireworks event'),
  c('nightlife', 'nightlife, clubbing, club, bar hopping, ~bar, ~izakaya', 'nightlife bars clubs'),
  c('cars',
    'car, jdm, drift, drifting, racing, automotive, supercar, car meet, itasha, motorsport, sports car, ' +
      'tuning',
    'cars automobiles racing'),
  c('train',
    'train, railway, rail, shinkansen, bullet train, station, subway, metro, jr pass, sightseeing train, ' +
      'tram, ferry, cable car, ropeway, gondola, train ride, scenic train, limited express',
    'train railway station'),
  c('transport',
    'bus, taxi, ferry, transport, transportation, transit, airport, flight, airline, car rental, ' +
      'getting around, directions',
    'transportation transit bus airport'),
  c('luggage',
    'luggage, baggage, suitcase, locker, coin locker, luggage storage, bag storage, cloakroom, ' +
      'luggage delivery, ~travel tip',
    'luggage baggage suitcase storage'),
  c('neighborhood',
    'neighborhood, neighbourhood, district, ~area, street, ~local, town, village, quarter, alley, ' +
      'backstreet, downtown, old town, residential, shopping street',
    'neighborhood district local streets town'),
  c('culture',
    'culture, cultural, tradition, traditional, heritage, local culture, folk, ritual, ' +
      'authentic, japanese culture, korean culture',
    'culture traditional heritage customs'),
  c('books',
    '~book, bookstore, bookshop, library, reading, novel, secondhand books, used books, publisher, literature',
    'books bookstore library reading'),
  c('romance',
    'romantic, romance, ~couple, date night, honeymoon, ~love, anniversary, proposal, date spot',
    'romantic couples date love'),
  c('family',
    'children, child, kid, family, toddler, baby, playground, family-friendly, kid-friendly, ' +
      'family trip, parent, school holiday',
    'children kids family'),
  c('adventure',
    'adventure, thrill, exciting, extreme, adrenaline, zipline, bungee, rafting, paragliding, diving, ' +
      'snorkeling, kayak, kayaking',
    'adventure exciting thrill'),
  c('hidden-gem',
    'hidden gem, hidden, secret, beaten path, lesser-known, underrated, local favorite, ' +
      'best kept secret, secret spot, little known',
    'hidden secret undiscovered'),
  c('price',
    'price, cost, pricing, admission, ticket, fee, entry fee, yen, jpy, ~won, krw, usd, dollar, per person, ' +
      'reservation',
    'price cost tickets admission fee'),

  // --- beauty and fashion ----------------------------------------------------------------
  c('perfume',
    'perfume, fragrance, scent, cologne, eau de parfum, parfum, eau de toilette, perfumery, perfumer, ' +
      'aroma, incense, diffuser, candle',
    'perfume fragrance scent cologne'),
  c('cosmetics',
    'skincare, skin care, cosmetic, cosmetics, makeup, beauty, serum, moisturizer, sunscreen, ' +
      'lipstick, kbeauty, face mask, sheet mask, toner, cleanser, beauty products',
    'cosmetics makeup beauty lotion'),
  c('hair-nails', 'hair, salon, haircut, hair salon, nail, nail art, manicure, barber', 'hair salon'),
  c('fashion',
    'fashion, clothing, clothes, apparel, outfit, wear, ~style, streetwear, dress, jacket, shirt, shoes, ' +
      'sneakers, kimono, yukata, hanbok, denim, jeans, coat, designer brand, ~brand, select shop',
    'fashion clothing clothes apparel'),
  c('accessories',
    '~watch, wristwatch, timepiece, jewelry, jewellery, accessory, accessories, ring, necklace, bracelet, ' +
      'earring, bag, handbag, wallet, sunglasses, leather goods, watchmaker, horology',
    'watch jewelry accessories'),

  // --- tech -----------------------------------------------------------------------------
  c('coding',
    'coding, code, coder, programming, programmer, developer, dev, software engineering, software engineer, ' +
      'source code, scripting, debugging, debug, programming language, vibe coding, code generation, ' +
      'codebase, pull request, repository, ~engineer',
    'programming software code developers'),
  c('dev-tools',
    'ide, code editor, vscode, vs code, visual studio, cursor, copilot, github copilot, developer tools, ' +
      'developer tool, dev tools, devtools, sdk, cli, ~terminal, git, github, compiler, ~framework, ' +
      'jetbrains, replit, windsurf, coding assistant, code assistant, ai coder, ai ide, ~api',
    'software programming tools developers'),
  c('software',
    'software, app, application, tool, ~platform, saas, extension, plugin, desktop app, mobile app, ' +
      'open source, open-source, web app, download, install, user interface, ui, ux, dashboard',
    'software application tool platform'),
  c('ai',
    'ai, artificial intelligence, machine learning, llm, large language model, language model, gpt, ' +
      'chatgpt, openai, claude, anthropic, gemini, deepseek, hugging face, huggingface, ' +
      'neural network, deep learning, generative, gen ai, genai, ai model, ai agent, agentic, ' +
      'chatbot, prompt, ai-powered, ai powered, automation, automate, copilot, ai tool',
    'artificial intelligence computer algorithms automated software'),
  c('website',
    'website, web, web development, web design, webpage, web page, landing page, frontend, front-end, ' +
      'backend, html, css, javascript, typescript, web app, ~site, hosting, deploy, deployment, ' +
      'nocode, website builder',
    'website web internet html'),
  c('browser', 'browser, web browser, chrome, firefox, tab, extension, browse, browsing',
    'browser web internet'),
  c('productivity',
    'productivity, workflow, workspace, ~note, note-taking, organize, task, todo, to-do, calendar, notion, ' +
      'efficiency, efficient, automation, ship faster',
    'productivity workflow organize tasks'),
  c('hardware',
    'laptop, computer, pc, macbook, keyboard, monitor, phone, smartphone, iphone, android, tablet, ipad, ' +
      'gadget, device, headphone, earbuds, camera',
    'laptop computer device hardware'),
  c('social-media',
    '~tiktok, ~instagram, ~reel, ~youtube, influencer, follower, social media, twitter, creator, ' +
      'content creator, vlog, vlogger',
    'social media facebook video'),
];

export interface ConceptMatch {
  concept: number;
  /** First and one-past-last token of the match in `stems`. */
  start: number;
  end: number;
  weight: number;
}

interface Entry {
  concept: number;
  weight: number;
}

/** Terms compiled to stem sequences, looked up longest first at each position. */
export class ConceptLexicon {
  readonly ids: readonly string[];
  readonly glosses: readonly (readonly string[])[];
  private readonly entries = new Map<string, Entry[]>();
  private readonly maxLength: number;

  constructor(definitions: readonly ConceptDefinition[] = CONCEPTS) {
    this.ids = definitions.map((d) => d.id);
    this.glosses = definitions.map((d) => d.gloss.split(/\s+/).filter(Boolean));
    let maxLength = 1;
    definitions.forEach((def, concept) => {
      for (const raw of def.terms.split(',')) {
        let term = raw.trim();
        if (!term) continue;
        const loose = term.startsWith('~');
        if (loose) term = term.slice(1);
        const { stems } = analyzeText(term);
        if (stems.length === 0) continue;
        const key = stems.join(' ');
        const list = this.entries.get(key) ?? [];
        const weight = loose ? 0.5 : 1;
        const existing = list.find((e) => e.concept === concept);
        if (existing) existing.weight = Math.max(existing.weight, weight);
        else list.push({ concept, weight });
        this.entries.set(key, list);
        maxLength = Math.max(maxLength, stems.length);
      }
    });
    this.maxLength = maxLength;
  }

  /**
   * Concepts named in `stems`. At each position the longest term that matches wins and the scan
   * continues after it, so "hot spring" is one match, not "hot" plus "spring".
   */
  match(stems: readonly string[]): ConceptMatch[] {
    const matches: ConceptMatch[] = [];
    let i = 0;
    while (i < stems.length) {
      let advanced = false;
      for (let n = Math.min(this.maxLength, stems.length - i); n >= 1; n--) {
        const list = this.entries.get(n === 1 ? stems[i]! : stems.slice(i, i + n).join(' '));
        if (!list) continue;
        for (const e of list) matches.push({ concept: e.concept, start: i, end: i + n, weight: e.weight });
        i += n;
        advanced = true;
        break;
      }
      if (!advanced) i += 1;
    }
    return matches;
  }
}

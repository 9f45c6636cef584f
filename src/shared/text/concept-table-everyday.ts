/**
 * The concept lexicon's third part (after concept-table-interests.ts in CONCEPTS, concepts.ts):
 * the needs and topics of everyday life that people save screenshots about and later look for
 * in their own words — the home and its chores, renting a place, news and the law, belief,
 * the holiday season, leading a team, scams, skin that looks younger, the topics of tech
 * articles (search, system design, maths), shows on a stage, making friends somewhere new.
 * Entries are described in concept-definition.ts.
 *
 * Keep it general, as the other tables: what any collection of this kind talks about, never
 * names of particular items. Changing it changes the vectors (the embedder's revision hashes
 * the whole table, and the local server re-embeds older rows at start).
 */
import { concept as c, type ConceptDefinition } from './concept-definition.js';

export const EVERYDAY_CONCEPTS: readonly ConceptDefinition[] = [
  // --- home ---------------------------------------------------------------------------------
  c(
    'home-decor',
    'home decor, interior design, interior, decor, decorate, decorating, decoration, furniture, furnishings, ' +
      'curtain, curtains, drapes, bedding, duvet, comforter, pillow, rug, sofa, couch, bedroom, living room, ' +
      'makeover, ~home, ~apartment',
    'furniture decor interior bedroom curtains',
  ),
  c(
    'household',
    'household, chores, housework, cleaning, laundry, washing machine, detergent, dishwasher, vacuum, tidy, ' +
      'declutter, appliance, appliances, ~clean, ~washing',
    'household chores cleaning laundry',
  ),
  c(
    'housing',
    'rent, renting, ~rental, lease, landlord, tenant, ~moving, relocation, relocate, co-living, ' +
      'coliving, share house, sharehouse, roommate, housing, real estate, condo, apartment, furnished apartment, ' +
      'door code, keypad, lockbox, key box, ~entrance',
    'apartment rent housing tenant',
  ),
  c(
    'smart-home',
    'smart home, homekit, alexa, google home, smart plug, smart socket, smart light, smart bulb, ' + 'home automation, iot',
    'smart home devices automation',
  ),

  // --- the world: news, the law, belief, seasons ---------------------------------------------
  c(
    'news',
    'news, breaking news, headline, headlines, journalist, journalism, reporter, newspaper, press release, ' +
      'current events, news story, ~report, ~article',
    'news journalism report headlines',
  ),
  c(
    'government-law',
    'government, federal, agency, agencies, justice department, doj, fbi, ~court, lawsuit, law, laws, legal, ' +
      'lawyer, attorney, judge, congress, senate, politics, political, ~policy, regulation, regulations, ' +
      'election, ~president, ~files',
    'government law legal politics court',
  ),
  c(
    'religion',
    'religion, religious, faith, spiritual, spirituality, buddhism, buddhist, buddha, dharma, zen, meditation, ' +
      'mindfulness, christian, christianity, church, worship, gospel, prayer, pray, bible, hindu, islam, muslim, ' +
      'mosque, ~temple, ~shrine',
    'religion spiritual faith buddhism worship',
  ),
  c(
    'holiday-season',
    'christmas, xmas, holiday season, festive, santa, advent, christmas tree, christmas lights, holiday lights, ' +
      'ornament, ornaments, light show, light display, hanukkah, thanksgiving, ~december, new year, new years eve, ~holiday, ~holidays',
    'christmas holiday festive decorations',
  ),

  // --- work and money ---------------------------------------------------------------------
  c(
    'leadership',
    'leadership, leader, leaders, management, manager, managers, managing, executive, executives, boss, team lead, ' +
      'people manager, mentor, mentorship, ~coach, ~coaching',
    'leadership management manager executive',
  ),
  c(
    'scam',
    'scam, scams, scammer, scammers, fraud, fraudulent, phishing, ripoff, ~ripped, con artist, counterfeit, ' +
      'identity theft, ~fake, ~suspicious, ~warning',
    'scam fraud fake deception',
  ),

  c(
    'crime',
    'crime, criminal, true crime, prison, jail, convicted, conviction, wrongful conviction, wrongfully convicted, ' +
      'exonerated, exoneration, innocence, police, arrest, arrested, detective, murder, ~justice, ~innocent',
    'crime prison police justice',
  ),
  c(
    'groceries',
    'grocery, groceries, supermarket, grocery store, costco, warehouse club, wholesale club, bulk buy, haul, ' +
      'trader joes, whole foods, ~receipt',
    'grocery supermarket shopping food',
  ),

  // --- skin, looks ------------------------------------------------------------------------
  c(
    'anti-aging',
    'anti-aging, anti aging, antiaging, wrinkle, wrinkles, fine lines, younger, youthful, look younger, aging, ' +
      'ageing, collagen, retinol, retinoid, microneedling, botox, filler, smooth skin, glowing skin, ~skin',
    'wrinkles skin aging youthful',
  ),

  c(
    'skin-concerns',
    'acne, breakout, breakouts, pimple, pimples, dry skin, rough skin, bumpy skin, keratosis pilaris, ' +
      'strawberry legs, exfoliate, exfoliating, exfoliation, exfoliant, dark spots, hyperpigmentation, eczema, ' +
      '~skin, ~body lotion',
    'skin acne dry rough',
  ),

  // --- things to do -------------------------------------------------------------------------
  c(
    'indoor',
    'indoor, indoors, rainy day, rainy, rain, raining, wet weather, bad weather, ~museum, ~mall, ~arcade, ' + '~exhibition',
    'indoor inside rain',
  ),
  c(
    'heights',
    'heights, ~height, glass floor, skywalk, sky walk, skyscraper, high-rise, suspension bridge, ' + '~tower, ~observation deck, ~cliff',
    'height tall tower high',
  ),
  c(
    'performance',
    '~performance, performer, ~perform, ~performing, live performance, live show, stage show, theater, theatre, ' +
      'musical, choir, chorus, recital, busker, busking, street performer, halftime show, ~dance, ~dancer',
    'performance theater stage singers',
  ),
  c(
    'community',
    '~community, make friends, meet people, new friends, social life, expat, expats, newcomer, meetup group, ' +
      'lonely, ~club, ~group, ~networking',
    'community friends social',
  ),
  c(
    'english-friendly',
    'english friendly, english-friendly, english menu, english speaking, english-speaking, english available, ' +
      'tourist friendly, tourist-friendly, foreigner friendly, foreigner-friendly, ~english',
    'english foreigners tourists',
  ),
  c('viral', 'viral, went viral, go viral, trending, million views, internet famous, ~trend, ~meme', 'viral popular internet trending'),

  c(
    'livestream',
    'livestream, live stream, livestreaming, live streaming, streamed live, go live, going live, live session, ' +
      'live video, twitch, ~live',
    'live streaming broadcast video',
  ),
  c(
    'sponsored',
    'sponsored, sponsor, sponsorship, advertisement, advert, ads, paid partnership, affiliate, brand deal, ' + '~promotion, ~partner',
    'sponsored advertisement advertising',
  ),
  c(
    'fight',
    'fight, fighting, brawl, altercation, scuffle, assault, punch, punched, violence, violent, confrontation, ' +
      'attacked, meltdown, outburst, tantrum, freakout',
    'fight brawl violence',
  ),
  c('cycling', 'bike, bikes, biking, bicycle, cycling, cyclist, e-bike, ebike, rental bike, bike lane', 'bicycle cycling bike'),

  // --- topics of study and tech reading -------------------------------------------------------
  c(
    'search-tech',
    'search engine, search engines, information retrieval, ranking algorithm, bm25, semantic search, vector search, ' +
      'keyword search, embeddings, embedding, vector database, rag, retrieval, seo, search ranking',
    'search retrieval ranking index',
  ),
  c(
    'system-design',
    'system design, scalability, scalable, distributed system, distributed systems, software architecture, ' +
      'load balancer, caching, microservices, high availability, sharding, million users, ~architecture, ~scale',
    'systems scale architecture servers',
  ),
  c(
    'math',
    'math, maths, mathematics, mathematical, algebra, calculus, linear algebra, statistics, probability, geometry, ' +
      'equation, equations, theorem, ~formula',
    'mathematics math algebra equations',
  ),
  c(
    'puzzle',
    'puzzle, puzzles, riddle, riddles, brain teaser, brainteaser, logic puzzle, quiz, trivia, crossword, sudoku',
    'puzzle riddle quiz',
  ),
  c(
    'stationery',
    'stationery, pen, pens, ballpoint, gel pen, fountain pen, pencil, ~notebook, ~planner, highlighter, ink, ' + 'handwriting, ~journal',
    'pens stationery notebook pencil',
  ),
];

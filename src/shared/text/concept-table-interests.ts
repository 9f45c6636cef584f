/**
 * The concept lexicon's second half (after concept-table-places.ts in CONCEPTS, concepts.ts):
 * shopping, culture and activities, beauty and fashion, tech. Entries are described in
 * concept-definition.ts.
 *
 * Keep it general: entries are what any collection of this kind talks about, never names of
 * particular items from an evaluation set. Changing this file changes the vectors, so it needs
 * a new local model name (see models.ts).
 */
import { concept as c, type ConceptDefinition } from './concept-definition.js';

export const INTEREST_CONCEPTS: readonly ConceptDefinition[] = [
  // --- shopping, culture, activities -------------------------------------------------------
  c(
    'shopping',
    'shopping, shop, store, boutique, mall, department store, shopping street, shopping arcade, ' +
      'shotengai, retail, outlet, buy, purchase, shopping district, flagship store, ~market',
    'shopping shops stores boutique mall',
  ),
  c(
    'vintage',
    'vintage, secondhand, second-hand, thrift, thrift store, used, pre-owned, antique, retro, flea market, ' + 'resale, consignment',
    'vintage secondhand thrift antique retro',
  ),
  c(
    'souvenir',
    'souvenir, gift, keepsake, memento, omiyage, present, bring home, take home, local product, ' + 'local specialty, ~handmade, ~craft',
    'souvenirs gifts memorabilia',
  ),
  c(
    'craft',
    'craft, handmade, handcrafted, hand carve, carving, carve, crafting, pottery, ceramics, woodworking, ' +
      'weaving, dyeing, indigo, calligraphy, origami, lacquer, artisan, craftsman, craftsmanship, ' +
      'woodwork, woodcraft, wood carving, woodcarving, glassblowing, kintsugi, diy, maker, makers, craft fair, ~local artists',
    'craft handmade pottery woodworking artisan',
  ),
  c(
    'higher-education',
    'university, college, degree, bachelor, masters degree, master degree, mba, phd, graduate school, admissions, ' +
      'scholarship, ~campus, ~bootcamp',
    'university college degree graduate',
  ),
  c(
    'conference',
    'conference, keynote, summit, meetup, tech talk, panel discussion, convention, expo, ~speaker, ~talk',
    'conference keynote summit talks',
  ),
  c(
    'class',
    'class, lesson, course, school, learn, learning, teach, teaching, tutorial, workshop, instructor, ' +
      '~study, beginner, online course, free course, mooc, curriculum, ~roadmap, self-taught',
    'class lesson learn teaching school',
  ),
  c(
    'creative',
    'creative, creativity, art, artistic, drawing, painting, draw, paint, craft, design, sketch, ' + 'illustration, diy, ~create',
    'creative art drawing painting design',
  ),
  c(
    'cooking-class',
    'cooking class, cooking lesson, sushi making, make sushi, cooking experience, food workshop, ' + 'baking class, ~cooking',
    'cooking class lesson',
  ),
  c(
    'anime',
    'anime, manga, otaku, cosplay, figurine, gundam, pokemon, ghibli, studio ghibli, comic, ' +
      'animation, cartoon, vtuber, character goods, mangaka, ~akihabara',
    'anime manga comics animation cartoon',
  ),
  c(
    'games',
    'game, gaming, video game, arcade, game center, nintendo, playstation, retro game, esports, pachinko, ' + 'claw machine, board game',
    'games gaming arcade',
  ),
  c(
    'screen',
    'tv show, drama, kdrama, netflix, movie, film, tv series, cinema, filming location, anime series, ' +
      'episode, subtitles, subtitled, binge, binge-watch, limited series, miniseries, documentary, sitcom, ~streaming',
    'television drama series film movie',
  ),
  c(
    'music',
    'concert, music, live music, kpop, band, idol, karaoke, live house, jazz, record store, vinyl, dj, song, playlist, ' +
      'album, singer, soundtrack, rapper, hip hop, rap, musician, remix, ~track',
    'music concert band songs',
  ),
  c(
    'festival',
    'festival, matsuri, event, fireworks, parade, celebration, lantern, carnival, popup, ' + 'limited time, seasonal event',
    'festival celebration fireworks event',
  ),
  c('nightlife', 'nightlife, clubbing, club, bar hopping, late night, ~evening, ~bar, ~izakaya', 'nightlife bars clubs'),
  c(
    'cars',
    'car, jdm, drift, drifting, racing, automotive, supercar, car meet, itasha, motorsport, sports car, ' +
      'tuning, tesla, electric car, electric vehicle, autopilot, dashcam, mechanic, car repair, car trouble, ~driving',
    'cars automobiles racing',
  ),
  c(
    'train',
    'train, railway, rail, shinkansen, bullet train, station, subway, metro, jr pass, sightseeing train, ' +
      'tram, ferry, cable car, ropeway, gondola, train ride, scenic train, limited express',
    'train railway station',
  ),
  c(
    'transport',
    'bus, taxi, ferry, transport, transportation, transit, airport, flight, airline, car rental, ' +
      'getting around, directions, airfare, plane ticket, plane tickets, frequent flyer, layover, award travel, ~miles',
    'transportation transit bus airport',
  ),
  c(
    'luggage',
    'luggage, baggage, suitcase, locker, coin locker, luggage storage, bag storage, cloakroom, ' +
      'luggage delivery, travel light, pack light, ~travel tip',
    'luggage baggage suitcase storage',
  ),
  c(
    'neighborhood',
    'neighborhood, neighbourhood, district, ~area, street, ~local, town, village, quarter, alley, ' +
      'backstreet, downtown, old town, residential, shopping street',
    'neighborhood district local streets town',
  ),
  c(
    'culture',
    'culture, cultural, tradition, traditional, heritage, local culture, folk, ritual, ' + 'authentic, japanese culture, korean culture',
    'culture traditional heritage customs',
  ),
  c(
    'books',
    '~book, bookstore, bookshop, library, reading, novel, secondhand books, used books, publisher, literature, ' +
      'textbook, textbooks, ebook, free book',
    'books bookstore library reading',
  ),
  c('romance', 'romantic, romance, ~couple, date night, honeymoon, ~love, anniversary, proposal, date spot', 'romantic couples date love'),
  c(
    'family',
    'children, child, kid, family, toddler, baby, playground, family-friendly, kid-friendly, ' +
      'family trip, parent, school holiday, ~zoo, ~aquarium, ~theme park, ~amusement park',
    'children kids family',
  ),
  c(
    'adventure',
    'adventure, thrill, exciting, extreme, adrenaline, zipline, bungee, rafting, paragliding, diving, ' + 'snorkeling, kayak, kayaking',
    'adventure exciting thrill',
  ),
  c(
    'hidden-gem',
    'hidden gem, hidden, secret, beaten path, lesser-known, underrated, local favorite, ' + 'best kept secret, secret spot, little known',
    'hidden secret undiscovered',
  ),
  c(
    'price',
    'price, cost, pricing, admission, ticket, fee, entry fee, yen, jpy, ~won, krw, usd, dollar, per person',
    'price cost tickets admission fee',
  ),
  // Whether a place takes bookings: its own concept, not a kind of price or of restaurant (both
  // held "reservation" before, so "need a reservation" pulled in every menu and every fee).
  c(
    'reservation',
    'reservation, reserve, reserved, advance booking, book ahead, book advance, booking required, ' +
      'reservation required, appointment, fully booked, ~waitlist',
    'reservation booking reserve appointment',
  ),
  c(
    'opening-hours',
    'opening hours, business hours, opening times, open daily, last order, last entry, ~hours, ~timetable',
    'hours open schedule',
  ),

  // --- everyday life: work, money, health, home cooking, fitness, humour, lists ---------------
  c(
    'career',
    'career, job, jobs, job hunting, job search, hiring, recruiter, recruiting, job interview, resume, cv, ' +
      'cover letter, linkedin, salary, promotion, layoff, severance, job offer, internship, ' +
      'interview prep, mock interview, coding interview, technical interview, coding round, leetcode, faang, ' +
      'big tech, career change, career advice, job market',
    'career job employment hiring',
  ),
  c(
    'finance',
    'finance, personal finance, money, investing, investment, invest, stocks, stock market, etf, index fund, ' +
      'retirement, 401k, savings, credit card, credit score, loan, mortgage, tax, taxes, budgeting, debt, bills, ' +
      'paycheck, stock options, equity, vesting, unvested, rsu, ~bank, ~points, ~perks',
    'finance money investing savings',
  ),
  c(
    'health',
    'doctor, physician, dermatologist, dentist, clinic, hospital, medical, medicine, health, healthcare, nurse, ' +
      'therapist, symptoms, ~treatment',
    'doctor medical health clinic',
  ),
  c(
    'home-cooking',
    'recipe, recipes, cooking, cook, home cooking, baking, roast, roasted, air fryer, meal prep, ingredients, ' +
      'potluck, dinner party, easy dinner, weeknight dinner, one-pot, sheet pan, casserole, side dish, ~kitchen',
    'recipe cooking kitchen ingredients',
  ),
  c('fitness', 'workout, gym, fitness, exercise, pilates, yoga, strength training, stretching, ~running', 'fitness workout exercise gym'),
  c('humour', 'funny, humor, humour, comedy, comedian, hilarious, meme, memes, joke, jokes, prank, parody', 'funny comedy humor jokes'),
  c('rankings', 'ranking, rankings, top 10, top ten, tier list, ranked, ~list', 'ranking list top best'),

  // --- beauty and fashion ----------------------------------------------------------------
  c(
    'perfume',
    'perfume, fragrance, scent, cologne, eau de parfum, parfum, eau de toilette, perfumery, perfumer, ' +
      'aroma, incense, diffuser, candle',
    'perfume fragrance scent cologne',
  ),
  c(
    'cosmetics',
    'skincare, skin care, cosmetic, cosmetics, makeup, beauty, serum, moisturizer, sunscreen, ' +
      'lipstick, kbeauty, face mask, sheet mask, toner, cleanser, beauty products',
    'cosmetics makeup beauty lotion',
  ),
  c('hair-nails', 'hair, salon, haircut, hair salon, nail, nail art, manicure, barber', 'hair salon'),
  c(
    'fashion',
    'fashion, clothing, clothes, apparel, outfit, wear, ~style, streetwear, dress, jacket, shirt, shoes, ' +
      'sneakers, kimono, yukata, hanbok, denim, jeans, coat, designer brand, ~brand, select shop',
    'fashion clothing clothes apparel',
  ),
  c(
    'accessories',
    '~watch, wristwatch, timepiece, jewelry, jewellery, accessory, accessories, ring, necklace, bracelet, ' +
      'earring, bag, handbag, wallet, sunglasses, leather goods, watchmaker, horology',
    'watch jewelry accessories',
  ),

  // --- tech -----------------------------------------------------------------------------
  c(
    'coding',
    'coding, code, coder, programming, programmer, developer, dev, software engineering, software engineer, ' +
      'source code, scripting, debugging, debug, programming language, vibe coding, code generation, ' +
      'codebase, pull request, repository, ~engineer',
    'programming software code developers',
  ),
  c(
    'dev-tools',
    'ide, code editor, vscode, vs code, visual studio, cursor, copilot, github copilot, developer tools, ' +
      'developer tool, dev tools, devtools, sdk, cli, ~terminal, git, github, compiler, ~framework, ' +
      'jetbrains, replit, windsurf, coding assistant, code assistant, ai coder, ai ide, ~api',
    'software programming tools developers',
  ),
  c(
    'software',
    'software, app, application, tool, ~platform, saas, extension, plugin, desktop app, mobile app, ' +
      'open source, open-source, web app, download, install, user interface, ui, ux, dashboard',
    'software application tool platform',
  ),
  c(
    'ai',
    'ai, artificial intelligence, machine learning, llm, large language model, language model, gpt, ' +
      'chatgpt, openai, claude, anthropic, gemini, deepseek, hugging face, huggingface, ' +
      'neural network, deep learning, generative, gen ai, genai, ai model, ai agent, agentic, ' +
      'chatbot, prompt, ai-powered, ai powered, automation, automate, copilot, ai tool, ~ml',
    'artificial intelligence computer algorithms automated software',
  ),
  c(
    'website',
    'website, web, web development, web design, webpage, web page, landing page, frontend, front-end, ' +
      'backend, html, css, javascript, typescript, web app, ~site, hosting, deploy, deployment, ' +
      'nocode, website builder',
    'website web internet html',
  ),
  c('browser', 'browser, web browser, chrome, firefox, tab, extension, browse, browsing', 'browser web internet'),
  c(
    'productivity',
    'productivity, workflow, workspace, ~note, note-taking, organize, task, todo, to-do, calendar, notion, ' +
      'efficiency, efficient, automation, ship faster',
    'productivity workflow organize tasks',
  ),
  c(
    'hardware',
    'laptop, computer, pc, macbook, keyboard, monitor, phone, smartphone, iphone, android, tablet, ipad, ' +
      'gadget, device, headphone, earbuds, camera',
    'laptop computer device hardware',
  ),
  c(
    'social-media',
    '~tiktok, ~instagram, ~reel, ~youtube, influencer, follower, social media, twitter, creator, ' + 'content creator, vlog, vlogger',
    'social media facebook video',
  ),
];

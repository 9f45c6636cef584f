/**
 * The concept lexicon's first half (CONCEPTS in concepts.ts is this table, then
 * concept-table-interests.ts): stays and rest, food and drink, sights and nature. Entries are
 * described in concept-definition.ts.
 *
 * Keep it general: entries are what any collection of this kind talks about, never names of
 * particular items from an evaluation set. Changing this file changes the vectors, so it needs
 * a new local model name (see models.ts).
 */
import { concept as c, type ConceptDefinition } from './concept-definition.js';

export const PLACE_CONCEPTS: readonly ConceptDefinition[] = [
  // --- stays and rest ---------------------------------------------------------------------
  c(
    'hot-spring',
    'onsen, hot spring, thermal spring, thermal bath, hot bath, rotenburo, open-air bath, outdoor bath, ' +
      'sento, public bath, bathhouse, bath house, footbath, foot bath, hot-spring bath, hot spring resort, ' +
      'spring water bath, jjimjilbang, geyser, ~spa, ~bath, ~sauna',
    'spa bath springs thermal bathing resort',
  ),
  c(
    'spa',
    'spa, day spa, sauna, massage, wellness, jacuzzi, hammam, steam room, facial, ~onsen, ~hot spring',
    'spa massage sauna wellness relaxation',
  ),
  c(
    'ryokan',
    'ryokan, minshuku, japanese inn, traditional inn, mountain inn, tatami, tatami room, futon, kaiseki, ' +
      'yukata, machiya, ~inn, ~guesthouse',
    'inn hotel traditional lodging hospitality',
  ),
  c(
    'accommodation',
    'hotel, accommodation, lodging, lodge, inn, hostel, guesthouse, guest house, airbnb, motel, resort, ' +
      'villa, cabin, cottage, capsule hotel, bed breakfast, place stay, overnight stay, ' +
      'suite, ryokan, minshuku, glamping, campsite, dayuse, day use, hourly hotel, ~stay',
    'hotel accommodation lodging inn resort rooms',
  ),
  c(
    'budget',
    'budget, cheap, affordable, inexpensive, low cost, low-cost, bargain, economical, backpacker, ' +
      'value money, save money, discount, ~deal, free entry, free admission, coupon, promo code, voucher, cashback',
    'cheap affordable budget inexpensive bargain',
  ),
  c(
    'luxury',
    'luxury, luxurious, upscale, high-end, premium, exclusive, five-star, lavish, opulent, splurge, ' +
      'fine dining, michelin, first class, vip, elegant, sophisticated, ~boutique',
    'luxury luxurious upscale elegant exclusive',
  ),
  c(
    'relax',
    'relax, relaxing, relaxation, unwind, chill, calm, peaceful, tranquil, serene, quiet, ' +
      'restful, healing, retreat, getaway, soothing, slow travel, zen',
    'relax relaxing peaceful tranquil calm',
  ),

  // --- food and drink ---------------------------------------------------------------------
  c('ramen', 'ramen, tonkotsu, tsukemen, shoyu ramen, miso ramen, noodle soup, ramen shop, ~noodle', 'noodles noodle soup broth'),
  c('noodles', 'noodle, udon, soba, pho, yakisoba, naengmyeon, japchae, pasta, spaghetti, ramen, lo mein', 'noodles noodle pasta'),
  c('sushi', 'sushi, sashimi, nigiri, maki, omakase, sushi bar, conveyor belt sushi, kaitenzushi, ~tuna, ~seafood', 'sushi fish seafood'),
  c(
    'seafood',
    'seafood, fish, crab, oyster, shrimp, prawn, lobster, squid, octopus, eel, unagi, sea urchin, uni, ' +
      'scallop, clam, salmon, tuna, fish market',
    'seafood fish crab shellfish',
  ),
  c(
    'grill',
    'yakiniku, barbecue, bbq, korean bbq, grill, grilled, yakitori, skewer, galbi, samgyeopsal, bulgogi, ' +
      'steak, steakhouse, wagyu, beef, kobe beef, pork belly, meat',
    'barbecue grilled meat beef steak',
  ),
  c(
    'bar',
    'izakaya, bar, pub, tavern, brewery, beer, craft beer, sake, cocktail, wine bar, speakeasy, whisky, ' +
      'whiskey, soju, makgeolli, drink, drinking, happy hour, highball, nightcap, bartender, ~nightlife',
    'bar pub drinks beer cocktails',
  ),
  c('wine', 'wine, winery, vineyard, sommelier, wine tasting, wine list, red wine, white wine, ~wine bar', 'wine winery vineyard'),
  c(
    'cafe',
    'cafe, coffee, coffee shop, espresso, latte, cappuccino, barista, kissaten, roastery, ' +
      'cold brew, flat white, americano, coffeehouse, ~brunch, ~tea house',
    'cafe coffee espresso',
  ),
  c('tea', 'tea, matcha, green tea, tea ceremony, teahouse, tea house, hojicha, sencha, tea room, ~cafe', 'tea ceremony'),
  c(
    'brunch',
    'brunch, breakfast, french toast, pancake, waffle, eggs benedict, avocado toast, morning set, ' + 'morning meal, ~cafe',
    'brunch breakfast pancakes',
  ),
  c(
    'dessert',
    'dessert, sweet, sweets, cake, pastry, ice cream, gelato, soft serve, parfait, mochi, crepe, pudding, ' +
      'custard, creme brulee, chocolate, patisserie, donut, doughnut, taiyaki, dango, wagashi, bingsu, ' +
      'shaved ice, kakigori, cheesecake, tart, macaron, cookie, sugary, candy, confectionery, ~bakery',
    'dessert sweets cake pastry',
  ),
  c('bakery', 'bakery, bread, croissant, boulangerie, baked goods, baguette, bun, ~pastry', 'bakery bread pastry'),
  c(
    'street-food',
    'street food, yatai, food stall, stall, food truck, night market, hawker, snack, takoyaki, okonomiyaki, ' +
      'tteokbokki, skewer, market food, ~food hall',
    'street food stalls vendors snacks',
  ),
  c(
    'restaurant',
    'restaurant, eatery, diner, dining, bistro, trattoria, cuisine, eat, dinner, lunch, meal, food, ' +
      'foodie, gourmet, tasting menu, set menu, kaiseki, chef, menu, dish',
    'restaurant dining food cuisine meal',
  ),
  c(
    'food-market',
    'food hall, depachika, basement food hall, fish market, food market, market, marketplace, ' +
      'morning market, farmers market, ~street food',
    'market food stalls',
  ),
  c(
    'mexican',
    'mexican, taco, burrito, nachos, quesadilla, salsa, guacamole, tex-mex, enchilada, tortilla, margarita',
    'mexican tacos burrito',
  ),
  c('italian', 'italian, pizza, pizzeria, pasta, risotto, trattoria, gelato, espresso', 'italian pizza pasta'),
  c('korean-food', 'kimchi, bibimbap, tteokbokki, bulgogi, korean food, korean cuisine, samgyeopsal, galbi, jjigae', 'korean food cuisine'),
  c(
    'japanese-food',
    'japanese food, japanese cuisine, washoku, sushi, ramen, tempura, tonkatsu, udon, soba, izakaya, ' +
      'kaiseki, yakitori, okonomiyaki, bento, onigiri, tofu, miso',
    'japanese food cuisine',
  ),
  c('vegetarian', 'vegetarian, vegan, plant-based, meatless, tofu, shojin ryori', 'vegetarian vegan'),
  c(
    'fruit-picking',
    'fruit picking, strawberry picking, apple picking, grape picking, orchard, strawberry, berry, ' +
      'peach, grape, melon, cherry picking, farm, harvest, ~fruit',
    'fruit strawberries orchard farm picking',
  ),

  // --- sights and nature --------------------------------------------------------------------
  c(
    'sightseeing',
    'sightseeing, attraction, landmark, tourist, tourism, must-visit, must see, must-see, destination, ' +
      'spot, places visit, bucket list, tourist spot, ~visit, highlight, ~guide',
    'sightseeing tourist attractions destination landmark',
  ),
  c(
    'itinerary',
    'itinerary, day trip, travel guide, trip, travel, tour, road trip, route, travel plan, weekend trip, ' +
      'day 1, day 2, day 3, stopover, excursion, vacation, holiday, travel tip, ~guide',
    'itinerary trip travel tour',
  ),
  c(
    'viewpoint',
    'viewpoint, view, observation deck, observatory, lookout, panorama, panoramic, scenic, vista, overlook, ' +
      'skyline, rooftop, sky bridge, skydeck, observation, outlook, city view, ocean view, mountain view',
    'viewpoint panoramic scenic views overlook',
  ),
  c('sunset', 'sunset, sunrise, dusk, golden hour, twilight, sundown, evening sky, afterglow, magic hour', 'sunset sunrise dusk twilight'),
  c('night-view', 'night view, night scene, city light, illumination, yakei, night skyline, ~night', 'night lights illuminated skyline'),
  c(
    'photography',
    'photography, photo, photograph, photographer, photogenic, instagrammable, instagram-worthy, picture, ' +
      'photo spot, photo op, camera, shoot, snapshot, selfie, shot',
    'photography photographs camera pictures',
  ),
  c(
    'nature',
    'nature, natural, scenery, landscape, wilderness, outdoors, outdoor, outdoorsy, great outdoors, countryside, national park, forest, ' +
      'greenery, valley, gorge, canyon, wildlife, scenic nature, ~park',
    'nature scenery landscape wilderness outdoors',
  ),
  c(
    'mountain',
    'mountain, mount, mt, peak, summit, volcano, volcanic, alps, highland, hill, ridge, alpine, ' + 'mountain view, caldera, crater',
    'mountain mountains peak volcano hills',
  ),
  c(
    'hiking',
    'hiking, hike, trek, trekking, trail, walking trail, climb, climbing, mountaineering, backpacking, ' +
      'nature walk, hiking route, trailhead, ascent',
    'hiking trails trekking walking climbing',
  ),
  c('water', 'lake, pond, river, stream, creek, riverside, waterfront, lakeside, dam, reservoir, ~waterfall', 'lake river water'),
  c('waterfall', 'waterfall, cascade, taki', 'waterfall cascade river'),
  c(
    'coast',
    'beach, coast, coastal, seaside, ocean, sea, bay, shore, island, cape, seashore, surf, cliff, harbor, ' + 'harbour, port, lighthouse',
    'beach coast sea ocean seaside',
  ),
  c(
    'flowers',
    'flower, flower field, blossom, bloom, blooming, lavender, tulip, sunflower, cherry blossom, sakura, ' +
      'hydrangea, wisteria, cosmos, poppy, petal, hanami, plum blossom, rapeseed, nemophila, rose, ' +
      'flower garden, azalea, iris, lily, ~garden',
    'flowers blossoms bloom gardens',
  ),
  c('cherry-blossom', 'cherry blossom, sakura, hanami, ~plum blossom', 'cherry blossoms spring flowers'),
  c(
    'autumn-leaves',
    'autumn leaves, fall foliage, foliage, koyo, momiji, maple, autumn, fall color, autumn color, ginkgo',
    'autumn foliage leaves maple',
  ),
  c(
    'winter',
    'snow, snowy, ski, skiing, snowboard, snowboarding, winter, ice, frozen, drift ice, snowfall, ' + 'snow festival, ski resort',
    'snow winter ski',
  ),
  c(
    'garden',
    'garden, botanical garden, japanese garden, zen garden, park, greenhouse, arboretum, ~flower garden',
    'garden gardens park botanical',
  ),
  c(
    'animals',
    'zoo, aquarium, animal, wildlife, bear, deer, monkey, cat cafe, owl cafe, safari, penguin, marine park, ' +
      'dolphin, fox, rabbit, bird, petting zoo',
    'animals zoo wildlife aquarium',
  ),
  c(
    'temple',
    'temple, shrine, torii, pagoda, buddha, buddhist, shinto, jinja, monastery, sanctuary, worship, ' +
      'prayer, pilgrimage, sacred, great buddha',
    'temple shrine buddhist sacred',
  ),
  c(
    'history',
    'castle, historic, historical, history, heritage, old town, ancient, samurai, edo, feudal, ruins, ' +
      'world heritage, unesco, preserved, century-old, ~traditional',
    'historic history heritage ancient',
  ),
  c(
    'art',
    'museum, art, gallery, exhibition, exhibit, installation, artwork, artist, art museum, digital art, ' +
      'contemporary art, modern art, design exhibition, sculpture, painting, art gallery, creator',
    'museum art gallery exhibition',
  ),
  c(
    'design',
    'design, designer, architecture, architect, interior design, interior, graphic design, product design, ' + 'typography, ~exhibition',
    'design architecture designer',
  ),
  c(
    'immersive',
    'immersive, interactive, ~experience, participatory, virtual reality, vr, escape room, ' + 'projection mapping',
    'interactive immersive experience',
  ),
  c(
    'activity',
    'activity, activities, fun, ~experience, excursion, outing, leisure, recreation, ~tour, ' + 'attraction',
    'activities fun leisure recreation',
  ),
  c(
    'theme-park',
    'theme park, amusement park, ride, roller coaster, disneyland, disney, universal studios, ' + 'ferris wheel, water park',
    'amusement park rides',
  ),
];

/**
 * Places inside regions, for keyword search: a screenshot names the town ("Suwa", "Beppu",
 * "Hongdae"), the person searching names the region ("nagano", "kyushu", "seoul"). Keyword search
 * cannot know that one holds the other, so a region typed in a query also accepts the places
 * listed under it (services/search/expansion.ts), and a region listed under a region brings its
 * own places too (kyushu → fukuoka → hakata).
 *
 * Downward only: "fukuoka" does not stand for all of Kyushu. Each place is written as the one
 * distinctive word people use (its generic part, "lake", "onsen", "park", would match every lake,
 * onsen and park); names that are also common words ("golden", "aurora", "nice") are left out.
 * Where most saved travel screenshots are (Japan, Korea, Taiwan) in detail, US states and the
 * countries people travel to most with their best-known cities; it is data, extend it as
 * collections grow.
 */
export const PLACE_REGIONS: Readonly<Record<string, string>> = {
  // Japan: regions → prefectures and best-known places; prefectures → cities, towns, areas.
  hokkaido: 'sapporo, otaru, hakodate, furano, biei, niseko, asahikawa, kushiro, shiretoko, noboribetsu, toya, abashiri, obihiro',
  // Hokkaido's subprefectural areas people name: the Okhotsk coast and the east (Doto).
  okhotsk: 'abashiri, monbetsu, yubetsu, kitami, shiretoko, utoro, shari, engaru, higashimokoto, saroma',
  doto: 'kushiro, nemuro, akan, teshikaga, shiretoko, rausu',
  teshikaga: 'mashu, kawayu, kussharo, iozan',
  // Akan-Mashu National Park, which people call by its first name.
  akan: 'akanko, mashu, kussharo, kawayu, teshikaga, iozan',
  tohoku: 'aomori, iwate, miyagi, akita, yamagata, fukushima, sendai, morioka, hirosaki, kakunodate, zao, ginzan, matsushima, aizu, oirase',
  kanto: 'tokyo, kanagawa, saitama, chiba, ibaraki, tochigi, gunma, yokohama, kamakura, hakone, nikko, kawagoe, kusatsu, enoshima',
  tokyo:
    'shinjuku, shibuya, harajuku, asakusa, ginza, akihabara, roppongi, ikebukuro, ueno, shimokitazawa, nakameguro, ebisu, odaiba, ' +
    'koenji, kichijoji, nakano, takao, daikanyama, omotesando, tsukiji, toyosu, shinagawa, yanaka, ryogoku, kagurazaka',
  // Tokyo's wards ("minato ku", "chiyoda ward") → their neighbourhoods. Left out: wards whose
  // name is a common word in Japanese or English ("kita", "ota", "chuo", "koto").
  minato: 'roppongi, azabu, akasaka, shinbashi, shimbashi, toranomon, shirokane, hamamatsucho, takanawa, aoyama, odaiba',
  chiyoda: 'akihabara, marunouchi, otemachi, kanda, jimbocho, jinbocho, hibiya, yurakucho, ochanomizu, iidabashi, kudanshita',
  taito: 'asakusa, ueno, yanaka, okachimachi, kappabashi, kuramae, uguisudani',
  shibuya: 'harajuku, ebisu, daikanyama, omotesando, yoyogi, sendagaya, hiroo',
  shinjuku: 'kabukicho, okubo, yotsuya, takadanobaba, kagurazaka, shinanomachi',
  setagaya: 'shimokitazawa, sangenjaya, sancha, futakotamagawa, gotokuji, kyodo',
  meguro: 'nakameguro, jiyugaoka, gakugeidaigaku',
  shinagawa: 'gotanda, osaki, oimachi, togoshi, tennozu',
  toshima: 'ikebukuro, sugamo, mejiro, komagome',
  bunkyo: 'korakuen, hongo, yushima, nezu, sendagi',
  sumida: 'oshiage, ryogoku, kinshicho, skytree',
  suginami: 'koenji, asagaya, ogikubo',
  katsushika: 'shibamata, kameari',
  // The Sagami Bay coast south of Tokyo.
  shonan: 'kamakura, enoshima, fujisawa, chigasaki, zushi, hayama, hiratsuka',
  kanagawa: 'yokohama, kamakura, hakone, enoshima, kawasaki, odawara, zushi',
  saitama: 'kawagoe, chichibu, omiya',
  tochigi: 'nikko, kinugawa, nasu',
  gunma: 'kusatsu, ikaho, minakami',
  chubu:
    'niigata, toyama, ishikawa, fukui, yamanashi, nagano, gifu, shizuoka, aichi, nagoya, kanazawa, takayama, matsumoto, karuizawa, hakuba',
  nagano: 'matsumoto, karuizawa, hakuba, nozawa, suwa, kamikochi, jigokudani, zenkoji, obuse, kiso, tsumago, magome, shinshu, azumino',
  yamanashi: 'kawaguchiko, fujiyoshida, kofu, yamanakako, oshino',
  shizuoka: 'atami, izu, hamamatsu, shuzenji, shimoda',
  gifu: 'takayama, shirakawa, gero, hida, gujo',
  ishikawa: 'kanazawa, noto, kaga, wajima',
  aichi: 'nagoya, inuyama, okazaki',
  kansai: 'osaka, kyoto, nara, hyogo, kobe, wakayama, shiga, mie, himeji, arima, koyasan, uji, ise',
  kinki: 'osaka, kyoto, nara, hyogo, kobe, wakayama, shiga, mie, himeji, arima, koyasan, uji, ise',
  osaka: 'namba, umeda, dotonbori, shinsekai, tennoji, shinsaibashi, nakazakicho',
  kyoto: 'arashiyama, gion, kiyomizu, fushimi, uji, pontocho, higashiyama, kinkakuji, kurama, kibune, ohara',
  hyogo: 'kobe, himeji, arima, kinosaki, awaji',
  nara: 'yoshino, ikaruga, todaiji',
  wakayama: 'koyasan, shirahama, kumano, nachi',
  chugoku: 'hiroshima, okayama, tottori, shimane, yamaguchi, miyajima, onomichi, kurashiki, izumo, matsue',
  hiroshima: 'miyajima, onomichi, itsukushima, kure',
  okayama: 'kurashiki, naoshima',
  shikoku: 'kagawa, tokushima, ehime, kochi, takamatsu, matsuyama, naoshima, dogo, iya, shimanto',
  kyushu:
    'fukuoka, saga, nagasaki, kumamoto, oita, miyazaki, kagoshima, beppu, yufuin, hakata, kitakyushu, dazaifu, aso, takachiho, ' +
    'sakurajima, yakushima, hita, kurokawa, itoshima, arita, ureshino, takeo',
  fukuoka: 'hakata, tenjin, nakasu, dazaifu, itoshima, kitakyushu, yanagawa, momochi',
  oita: 'beppu, yufuin, usuki, hita, kunisaki, taketa, bungo, kokonoe',
  kumamoto: 'aso, kurokawa, amakusa, hitoyoshi, kikuchi',
  saga: 'arita, ureshino, takeo, karatsu, imari',
  nagasaki: 'sasebo, gunkanjima, unzen, goto, hirado',
  miyazaki: 'takachiho, nichinan, aoshima',
  kagoshima: 'sakurajima, yakushima, ibusuki, kirishima, amami',
  okinawa: 'naha, ishigaki, miyakojima, kerama, churaumi, iriomote, zamami, taketomi, kouri, onna',
  // Korea.
  korea: 'seoul, busan, jeju, incheon, gyeongju, daegu, jeonju, gangneung, sokcho, suwon, gangwon, andong',
  seoul:
    'gangnam, hongdae, myeongdong, itaewon, insadong, bukchon, jongno, seongsu, euljiro, yeouido, jamsil, dongdaemun, namsan, ' +
    'bukhansan, mangwon, yeonnam, apgujeong, sinsa, gyeongbokgung',
  busan: 'haeundae, gamcheon, gwangalli, jagalchi, seomyeon, nampo, gijang, songdo',
  gangwon: 'gangneung, sokcho, chuncheon, pyeongchang, seoraksan, yangyang',
  jeju: 'seogwipo, hallasan, udo, aewol, seongsan',
  // Taiwan.
  taiwan: 'taipei, tainan, taichung, kaohsiung, hualien, jiufen, taroko, keelung, yilan, kenting',
  taipei: 'ximending, shilin, beitou, raohe, daan, xinyi, tamsui, songshan, maokong',
  // United States: states → cities and towns.
  colorado: 'denver, boulder, longmont, breckenridge, vail, aspen, estes, loveland, telluride, durango, lakewood, littleton, arvada',
  arapahoe: 'centennial, littleton, englewood',
  // "francisco" and "angeles": the one word of San Francisco and Los Angeles that names them.
  california: 'napa, yosemite, sonoma, malibu, oakland, sacramento, tahoe, francisco, angeles',
  hawaii: 'honolulu, maui, oahu, waikiki, kauai, kona',
  texas: 'austin, dallas, houston',
  florida: 'miami, orlando, tampa',
  nevada: 'vegas, reno',
  arizona: 'sedona, tucson, scottsdale, flagstaff',
  utah: 'moab, ogden',
  oregon: 'portland',
  illinois: 'chicago',
  // The rest of the world: countries → their best-known cities and areas, one word each ("rome",
  // not "mexico city"). Left out: names that are common words or people's names ("nice",
  // "bath", "cork", "hue", "split", "darwin", "phoenix"), and countries whose name is one
  // ("turkey", "jordan", "georgia", "chad").
  australia: 'sydney, melbourne, perth, adelaide, canberra, tasmania, queensland',
  // A state or area listed under a country holds its own places (Brisbane is in Queensland), and
  // the country takes them through it.
  queensland: 'brisbane, cairns, noosa, whitsundays',
  tasmania: 'hobart, launceston',
  canada: 'toronto, vancouver, montreal, ottawa, calgary, quebec, banff, whistler, edmonton',
  mexico: 'cancun, tulum, oaxaca, guadalajara, monterrey, puebla, merida',
  france: 'paris, lyon, bordeaux, strasbourg, toulouse, provence, normandy, chamonix',
  provence: 'avignon, marseille, arles, aix',
  italy: 'rome, milan, venice, naples, tuscany, sicily, amalfi, bologna, verona, turin',
  tuscany: 'florence, siena, pisa, lucca',
  sicily: 'palermo, catania, taormina',
  spain: 'madrid, barcelona, seville, valencia, granada, ibiza, mallorca, bilbao, malaga',
  portugal: 'lisbon, porto, madeira, algarve',
  germany: 'berlin, munich, hamburg, frankfurt, cologne, dresden, heidelberg',
  england: 'london, manchester, liverpool, oxford, brighton, bristol, cornwall',
  scotland: 'edinburgh, glasgow, skye, inverness',
  ireland: 'dublin, galway, killarney',
  netherlands: 'amsterdam, rotterdam, utrecht',
  switzerland: 'zurich, geneva, zermatt, lucerne, interlaken, bern, basel',
  austria: 'vienna, salzburg, innsbruck, hallstatt',
  greece: 'athens, santorini, mykonos, crete, thessaloniki',
  thailand: 'bangkok, phuket, krabi, pattaya, samui, ayutthaya',
  vietnam: 'hanoi, saigon, danang, halong, sapa',
  china: 'beijing, shanghai, guangzhou, shenzhen, chengdu, xian, hangzhou, guilin, suzhou',
  indonesia: 'bali, jakarta, lombok, yogyakarta',
  bali: 'ubud, seminyak, canggu, uluwatu, kuta',
  philippines: 'manila, cebu, boracay, palawan',
  india: 'delhi, mumbai, goa, jaipur, agra, bangalore, kerala, chennai, kolkata, varanasi',
  malaysia: 'penang, langkawi, malacca',
};

/**
 * Place names as written in Japanese, Korean and Chinese script, to the romanised name the
 * tables above use: a person may type "北海道" or "서울" while the items say "Hokkaido" and
 * "Seoul" (or the other way round). Keyword search takes the romanised name, and the places
 * under it, as the name typed (services/search/expansion.ts). Matched as a whole word of the
 * query (space-separated, as Postgres splits it), not inside a longer run of script.
 */
export const PLACE_NAMES_IN_SCRIPT: Readonly<Record<string, string>> = {
  日本: 'japan',
  北海道: 'hokkaido',
  東北: 'tohoku',
  関東: 'kanto',
  東京: 'tokyo',
  東京都: 'tokyo',
  神奈川: 'kanagawa',
  埼玉: 'saitama',
  千葉: 'chiba',
  群馬: 'gunma',
  栃木: 'tochigi',
  長野: 'nagano',
  静岡: 'shizuoka',
  関西: 'kansai',
  大阪: 'osaka',
  京都: 'kyoto',
  奈良: 'nara',
  神戸: 'kobe',
  広島: 'hiroshima',
  四国: 'shikoku',
  九州: 'kyushu',
  福岡: 'fukuoka',
  博多: 'hakata',
  大分: 'oita',
  別府: 'beppu',
  由布院: 'yufuin',
  湯布院: 'yufuin',
  熊本: 'kumamoto',
  長崎: 'nagasaki',
  鹿児島: 'kagoshima',
  宮崎: 'miyazaki',
  沖縄: 'okinawa',
  札幌: 'sapporo',
  小樽: 'otaru',
  函館: 'hakodate',
  富良野: 'furano',
  美瑛: 'biei',
  横浜: 'yokohama',
  鎌倉: 'kamakura',
  箱根: 'hakone',
  日光: 'nikko',
  川越: 'kawagoe',
  名古屋: 'nagoya',
  金沢: 'kanazawa',
  新宿: 'shinjuku',
  渋谷: 'shibuya',
  原宿: 'harajuku',
  浅草: 'asakusa',
  銀座: 'ginza',
  秋葉原: 'akihabara',
  六本木: 'roppongi',
  池袋: 'ikebukuro',
  上野: 'ueno',
  港区: 'minato',
  千代田区: 'chiyoda',
  한국: 'korea',
  韓国: 'korea',
  서울: 'seoul',
  부산: 'busan',
  제주: 'jeju',
  제주도: 'jeju',
  강남: 'gangnam',
  홍대: 'hongdae',
  명동: 'myeongdong',
  台湾: 'taiwan',
  台灣: 'taiwan',
  台北: 'taipei',
};

// The demo catalog seeded on first start. Pictures are in public/images/products/. The last number is the stock:
// plenty of most, and the last two show the other cases (the catalog says "Sold out" at 0, "Only N left" at 5 or fewer).
const PLENTY = 1000

export const demoProducts = [
  [
    'canvas-tote',
    'Canvas Tote Bag',
    2400,
    'A heavy cotton canvas tote with long handles and an inside pocket.',
    PLENTY,
  ],
  [
    'pour-over-set',
    'Ceramic Pour-Over Set',
    3800,
    'A stoneware dripper and carafe for two slow, clear cups of coffee.',
    PLENTY,
  ],
  ['linen-notebook', 'Linen Notebook', 1450, 'A5, 192 dotted pages of 100 g paper, sewn to lie flat.', PLENTY],
  [
    'walnut-organizer',
    'Walnut Desk Organizer',
    5600,
    'Solid walnut tray with slots for pens, cards and a phone.',
    PLENTY,
  ],
  ['wool-beanie', 'Merino Wool Beanie', 2200, 'A soft ribbed beanie knitted from fine merino wool.', PLENTY],
  ['camp-mug', 'Enamel Camp Mug', 1600, 'A 350 ml steel mug with a glossy enamel finish and a rolled rim.', PLENTY],
  [
    'brass-pen',
    'Brass Ballpoint Pen',
    4200,
    'A machined brass pen that takes standard refills and ages nicely.',
    PLENTY,
  ],
  ['throw-blanket', 'Cotton Throw Blanket', 7900, 'A woven 130 × 170 cm throw in washed organic cotton.', PLENTY],
  [
    'glass-bottle',
    'Glass Water Bottle',
    2800,
    'Borosilicate glass in a silicone sleeve, 600 ml, leak-proof cap.',
    PLENTY,
  ],
  [
    'card-holder',
    'Leather Card Holder',
    3400,
    'Vegetable-tanned leather, four card slots and a middle pocket.',
    PLENTY,
  ],
  [
    'soy-candle',
    'Scented Soy Candle',
    1900,
    'Fig and cedar, poured by hand in a reusable amber jar; 40 hours.',
    PLENTY,
  ],
  [
    'cutting-board',
    'Bamboo Cutting Board',
    3100,
    'A sturdy end-grain board with a juice groove and rubber feet.',
    PLENTY,
  ],
  [
    'clay-planter',
    'Terracotta Planter',
    2600,
    'A hand-thrown 15 cm terracotta pot with a drainage hole and saucer.',
    0,
  ],
  ['wool-socks', 'Wool Hiking Socks', 1800, 'Cushioned merino socks with a reinforced heel and toe.', 4],
] as const

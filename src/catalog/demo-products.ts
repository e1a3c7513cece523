// The demo catalog seeded on first start. Pictures are in public/images/products/.
export const demoProducts = [
  ['canvas-tote', 'Canvas Tote Bag', 2400, 'A heavy cotton canvas tote with long handles and an inside pocket.'],
  [
    'pour-over-set',
    'Ceramic Pour-Over Set',
    3800,
    'A stoneware dripper and carafe for two slow, clear cups of coffee.',
  ],
  ['linen-notebook', 'Linen Notebook', 1450, 'A5, 192 dotted pages of 100 g paper, sewn to lie flat.'],
  ['walnut-organizer', 'Walnut Desk Organizer', 5600, 'Solid walnut tray with slots for pens, cards and a phone.'],
  ['wool-beanie', 'Merino Wool Beanie', 2200, 'A soft ribbed beanie knitted from fine merino wool.'],
  ['camp-mug', 'Enamel Camp Mug', 1600, 'A 350 ml steel mug with a glossy enamel finish and a rolled rim.'],
  ['brass-pen', 'Brass Ballpoint Pen', 4200, 'A machined brass pen that takes standard refills and ages nicely.'],
  ['throw-blanket', 'Cotton Throw Blanket', 7900, 'A woven 130 × 170 cm throw in washed organic cotton.'],
  ['glass-bottle', 'Glass Water Bottle', 2800, 'Borosilicate glass in a silicone sleeve, 600 ml, leak-proof cap.'],
  ['card-holder', 'Leather Card Holder', 3400, 'Vegetable-tanned leather, four card slots and a middle pocket.'],
  ['soy-candle', 'Scented Soy Candle', 1900, 'Fig and cedar, poured by hand in a reusable amber jar; 40 hours.'],
  ['cutting-board', 'Bamboo Cutting Board', 3100, 'A sturdy end-grain board with a juice groove and rubber feet.'],
] as const

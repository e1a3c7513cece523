-- AlterTable
-- Stock: a database that exists already gets 1,000 of every product (the seed adds the sold-out and
-- low-stock ones); the default is only for these rows, a new product says its stock.
ALTER TABLE "Product" ADD COLUMN "stock" INTEGER NOT NULL DEFAULT 1000;
ALTER TABLE "Product" ALTER COLUMN "stock" DROP DEFAULT;
-- Stock never goes below 0, whatever runs at once: the last guard behind checkout's conditional UPDATE.
ALTER TABLE "Product" ADD CONSTRAINT "Product_stock_check" CHECK ("stock" >= 0);

-- AlterTable
-- Lines already in carts were added at a price we no longer know: today's price is the best guess.
ALTER TABLE "CartItem" ADD COLUMN "addedPriceCents" INTEGER;
UPDATE "CartItem" c SET "addedPriceCents" = p."priceCents" FROM "Product" p WHERE p.id = c."productId";
ALTER TABLE "CartItem" ALTER COLUMN "addedPriceCents" SET NOT NULL;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN "checkoutKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Order_checkoutKey_key" ON "Order"("checkoutKey");

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "credentialVersion" INTEGER NOT NULL DEFAULT 0;

-- Session ids are stored as the SHA-256 (hex) of the id the cookie carries. Existing rows are hashed in place
-- (guest cart lines follow through ON UPDATE CASCADE), so nobody is signed out and no cart is lost.
UPDATE "Session" SET id = encode(sha256(convert_to(id, 'UTF8')), 'hex');

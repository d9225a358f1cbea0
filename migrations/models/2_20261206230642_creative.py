from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "characters" (
    "id" UUID NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "consistency_key" VARCHAR(100) NOT NULL,
    "metadata" JSONB,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "project_id" UUID NOT NULL REFERENCES "projects" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_characters_project_ce852f" UNIQUE ("project_id", "consistency_key")
);
CREATE INDEX IF NOT EXISTS "idx_characters_project_e32a9f" ON "characters" ("project_id");
CREATE INDEX IF NOT EXISTS "idx_characters_project_7c8537" ON "characters" ("project_id", "name");
        CREATE TABLE IF NOT EXISTS "character_images" (
    "id" UUID NOT NULL PRIMARY KEY,
    "asset_id" UUID NOT NULL UNIQUE REFERENCES "assets" ("id") ON DELETE CASCADE,
    "character_id" UUID NOT NULL UNIQUE REFERENCES "characters" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "character_images" IS 'The character''s chosen reference image, one of its assets.';
        CREATE TABLE IF NOT EXISTS "keyframes" (
    "id" UUID NOT NULL PRIMARY KEY,
    "sequence" INT NOT NULL,
    "description" TEXT NOT NULL,
    "timing_seconds" DOUBLE PRECISION CHECK ("timing_seconds" BETWEEN 0 AND 86400) NOT NULL,
    "metadata" JSONB,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "scene_id" UUID NOT NULL REFERENCES "scenes" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_keyframes_scene_i_548c7c" UNIQUE ("scene_id", "sequence")
);
CREATE INDEX IF NOT EXISTS "idx_keyframes_scene_i_03c2ff" ON "keyframes" ("scene_id");
        CREATE TABLE IF NOT EXISTS "keyframe_images" (
    "id" UUID NOT NULL PRIMARY KEY,
    "asset_id" UUID NOT NULL UNIQUE REFERENCES "assets" ("id") ON DELETE CASCADE,
    "keyframe_id" UUID NOT NULL UNIQUE REFERENCES "keyframes" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "keyframe_images" IS 'The keyframe''s chosen image, one of its assets (a row of its own: see CharacterImage).';
        CREATE TABLE IF NOT EXISTS "scene_characters" (
    "id" UUID NOT NULL PRIMARY KEY,
    "character_id" UUID NOT NULL REFERENCES "characters" ("id") ON DELETE CASCADE,
    "scene_id" UUID NOT NULL REFERENCES "scenes" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_scene_chara_scene_i_fc7c0b" UNIQUE ("scene_id", "character_id")
);
CREATE INDEX IF NOT EXISTS "idx_scene_chara_charact_8a3823" ON "scene_characters" ("character_id");
CREATE INDEX IF NOT EXISTS "idx_scene_chara_scene_i_f91a6d" ON "scene_characters" ("scene_id");
COMMENT ON TABLE "scene_characters" IS 'One member of a scene''s cast.';
        ALTER TABLE "assets" ADD "character_id" UUID REFERENCES "characters" ("id") ON DELETE CASCADE;
        ALTER TABLE "assets" ADD "keyframe_id" UUID REFERENCES "keyframes" ("id") ON DELETE CASCADE;
        ALTER TABLE "users" ADD "session_generation" INT CHECK ("session_generation" >= 0) NOT NULL DEFAULT 0;
        CREATE INDEX IF NOT EXISTS "idx_assets_charact_665e5a" ON "assets" ("character_id");
        CREATE INDEX IF NOT EXISTS "idx_assets_keyfram_d4b4f6" ON "assets" ("keyframe_id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_assets_keyfram_d4b4f6";
        DROP INDEX IF EXISTS "idx_assets_charact_665e5a";
        ALTER TABLE "users" DROP COLUMN "session_generation";
        ALTER TABLE "assets" DROP COLUMN "character_id";
        ALTER TABLE "assets" DROP COLUMN "keyframe_id";
        DROP TABLE IF EXISTS "scene_characters";
        DROP TABLE IF EXISTS "keyframe_images";
        DROP TABLE IF EXISTS "keyframes";
        DROP TABLE IF EXISTS "character_images";
        DROP TABLE IF EXISTS "characters";"""


MODELS_STATE = (
    "eJztXVtz27gV/isYvSSZcTOW40uitjsjS0yijS2lMr273WqHA0mQxTUFKiQUx033vxcA7x"
    "dQpK4kgxeJBHFA8DsgeG44+N5YmFNk2K/bS/0Tem60wPcGhgtED2JXTkADLpdBOSsgcGzw"
    "qnCpa4/omRfCsU0sOCG0fAYNG9GiKbInlr4kuolZ7TZYQotgZIGJhaYIEx0afwcmNp4BBH"
    "cf2387u7gE5gyQOQI2onUI0G1gE5PWBi91AubQBqzOWCc2q0ibsMzl86vX7P5Tc0I7oOOH"
    "/d9qhfUvK6QR8wHRBix6w//8QYt1PEXfkO2dLh+1mY6MaQRcfcoa4OUaeV7ysvv7Xvc9r8"
    "keY6xNTGO1wEHt5TOZm9ivvlrp09eMhl17QPQhIUHTEOx4ZRguh7wip8e0gFgr5Hd1GhRM"
    "0QyuDMa8xj9mKzxhPAP8Tuzn/Ce3a6FqmtYfqNqdompaI8Fr1oUYT9yiiYnZONExYUB9/8"
    "tpNwCElzbYDTof28OXby5fcQhMmzxY/CKHq/EXJ4QEOqQc9ABl/p/AuTOHVjrOXv0Y0rSj"
    "m2DsFQQgBy+EB58H0B4gbSzgN81A+IHM6enZ6WkGxr+0hxxmWovjbNI32Hm1++6lM+cawz"
    "vAd2mhmf6tCMIBRQ0xbl7mgLh5KUSYXYoCTCdVjU5B8yIQh2l2A/L6yeJgEF+e54D48lwI"
    "MbsUhdiemKyNBMA/3w366QAHFDF4p/qEgP8BQ7fJvsZyaFYer3SD6Nh+ze53jImZIcRaXt"
    "j2FyMM88vb9m9xDnRuBtfxGZw1cB1jB/0GM8g0SJIs6dIrRF+gdLZEKeOscUlfewdVnGzo"
    "A04HVHZx38AM1qi9W+VObd9+jvCn21YVduWMlz7HSl/GJya/EfBrT/0I2Cn4fdBX4mz066"
    "m/N1if4IqYGjafNDgNTRZeqYdahOsGtIm2sjfie5x2B5x3u1wWxleE0R4mmZy20FfzcSM+"
    "Rykll8vMZfo6WloxHSdEsktFJ8nUQwovm6s1THOcPaZqNQypJLLvqc6qP2Cqq3N8e7QfEE"
    "/S1BlXsb93m6kkokFpcH8LPvmadng40UenD4yIIze37zrtrtLgAI/h5PEJWlMtgjS7Yp6Z"
    "sRK/bvLS4mwRL4EYPnBs2FOwPnvWFNtGpJFmZuEXTjKtLKxKPhuLGM71NovvjeBZqMYAyY"
    "rfMyReMQL0japytk1v5z+0+0TujbzR1uCVaXf5CZ8lQu0vLfNPNCEup3Z0D2l1OarV5ZE+"
    "XxJnBa8WAoXVrV9mi0Cjd9v+oLQA/xvh9n23N2gB/jfCv/S6Cj3jfyN8d3+t9tQbWtk7Gm"
    "H14/3tdb/du2kB/3CEB+pHZdgC/C9uusyjDL/LoQu/ewU6H5XOJ/ByxIEeNUCvD16+4A/y"
    "4gS84M/ADnj32YHXbXbs95ad8I6+eCVUrt8ldGt/9sg7FgKKw42Gxmel3+31PxR8yzyyFn"
    "APRniotLv/bgH+twlDr3Iw9CrEUActj6VuNxineA8yOHUV59RMN5BW1FwaISrz27upzfTi"
    "Io/N9OJCbDNl12IGDhMThIkDVAGw43QS73x42/p/kTZ+Jmk2vs4cTahKea0/9DARTEgR8h"
    "joTPysIOgPrBN/e3d29ubN1dnpm8u3F+dXVxdvT9/SurzHyUtZM9N170Ovr4ZmJR8yOjNd"
    "K+qvitIHTdDud8EFbfHq9F3zLO5moA3E+DZdUUjpk2k2ov2firn33jChgHlpbcRYOGPUtT"
    "IWdAf31zcK+DxUOr273qAfMCYOB2XPT/8EDisC+wEnZ0W0QHeUJvo5ucnRTJSBX1aQ0j9r"
    "9oRqpptwL9HAD8y6CBah1+qUv1bNoixc21yUlQtEIBP3i3hJwjRb+Umqw769OERYMAJ8QC"
    "y+ooi4ECOrnSOweXqWxxXIqon9rfyi9D9J/9NqOd2Q61FKyfWycD3FTeH2PvSu09kTTkhh"
    "V0WcbgsT4fqPWzXcFbGglZlFjwuiGiOToMZCrcKG8ryYRqmkXy0e+kMfuiCiYRo5RBOS6v"
    "PYZD6ygpjGCSWwWf5f96VOIlzYBfw5aKmS7/9aL3B0/kt3BKcP4R2gexdprIrjdi2+iTc3"
    "B8RsAt0Ful479QQ29JlZj6kvkO4A1064rVpiGxff1+PriaY7gPdTqKlaohsT4/cafJOmyk"
    "3mpj5J4dS128QAI9WkP0NkcCt2jjeht4AP1Q0oTHAsXVnbHW7eEK8bbAVDvYKJNCXcKzLL"
    "ikO+/GG9h7CvRPAVfWDdJghPnrnV+I+suLAoKX84GbFV2YgtuU5uv+vkwj1LwKzS90Dgvo"
    "6S1QLtLPOx8pua7T7zrcc3g/4Hr3rcp5YIt4nMagVGeQppLVgQd6TlGfDNjAHfTA546TCW"
    "K+jKOPKr6cuSHswfket5PJjSKySt7eUx/eSxtostPwHkwUKndFPE+0/rjRD+eqpKCgvZNp"
    "sJtAltZEuEuAG9iLW3bPN6pqFmAxuizuxV0n64P0OYg0OWNcxHKodJTOP8yplzSp0j4FO+"
    "sOmxaSMMLDRDFlXwEOCNnQATI5bmiWV7cmahZE6pzZsa4RFuA8t88srNJ0oHmUEOkDnEAA"
    "LnI82uB6a/lksfukVw8QRAPAVwhGfO5whQTRWwoQ5mlrkIVQRP5sqYgjFid3mmooqT9Goy"
    "RwtaADE2Cbvo6gDgSSdz2uEum8Hpg/PKvBvAtPiJ3zJwZnnbLWVvj8yOVRbB5iTD6sfZWV"
    "B0DNMcFvFSyo0liyasC6wJcbyIvzCXW9z7iu/BKV5KJuzBKQ49CXsrZPPK6dVENTxd5tCH"
    "tkot8bM5TpOtWHGmQPWnOT5aUglv6b+1whqcsfdrh7klgtsYCNpIo83qtF2ZwUJKRhtlsM"
    "hIuViBDBZlcg9VJC/Ev+6Ve6VbcOi6VC3g/I/w8L7f52ki3AOWIaTTUZQuq+QfjvD7du+G"
    "FTn/I9xp9zvKDS/yD+PKaB4OFs0SEk0q4TwFzynhdN/JEOL2mp04/WVHfjcL5gh5KBR84B"
    "NsNBJKZmM5SJJek0194gX0wtwHYcrDZT443RfUTtqDs+b51fnbN5fnfrYDvyQryUEkw4EH"
    "THLldJor3LZTR7g47iNEUocxfuiQD2RZZorKJ8bbJ5BoF0cbEoIWyzR3zbrpJUwpp5fQ9O"
    "IBI0iswT4Zm6Mepz4c8m/Kj3wYHAf9RC4MG30pDrpLJEd5OE0Q+iIY4Ev4bJgwRQMTB4+F"
    "SGTs2OaxY/QS638B4AMKifsWuPv2rwT0a5JihwlrGLtV3VitZIieY4Vcl85M+A1JkMuvSe"
    "hrEkFH8F1JmIELvmxp9DIPfZlfuYkBKQ+m2rhY4H+Eqg5K4b430ZEx52Loqxl9nCfm3CbQ"
    "2ozrUUo5h5Z5Dp3pWLfnG7E5Rir5XGY+yxUkdZvD5QoSmQir8sDKpTkyEVb58c2ZCCvP6i"
    "f0FeFtVz/9bI4V1kwFv7W7WdVTPHbSwSs9gNLHMjOKUgs4t+tMLax1Z1wxT1I8M4uMFjxq"
    "tGA1PIL7FI/34BRM+l0rETNYHGUZLyjjBWW8YO0nNhkyuKMP9Z6C2IravGpr66qubStp0g"
    "zE5rwycEAhjVqZtpc/nWVlW1oG3MVplcRzrU0gGEtl2oHaT0CcouqGkxOLVV0vZexeNN1w"
    "4muqDKxYugOp8JZO4XX4ksA6S931SaRomLbdpUwReizhjwpqtDvb7DOabGHDrSpLFZ2XwQ"
    "fxRpVRKBLaztvL89PCG47ma1NmIC1LNLOMBhN/NqoZSSAzkP6IXM8TP3LEPdTKqRbuVs0+"
    "9G5J5cR0B9sl5fG8y7yjpc2lKfeUSYEhw4KTI5FmsFFTwTyaHmGQ+1KU8RK8hLF0ly1gIw"
    "Si+T5fpefY3M9tZFbKEnzwTjKMSzIrZb02Y64LqAkhrYj5Ps9WggUTJxbYSLCULNjNRoIy"
    "IWV5E1J6QdUpYkoo3losoLgxywdOTkmlBz8JqhtBxqrvKFtkuPWQ2WObO0h55ajyCtGJUS"
    "gezSeohbMmGpB2kSsg7SIjIO2iVLvnlVONPJhnrBoxt412R+39ohScNhrdYfu92gL8b4Sd"
    "NlrA+R/hzuD2842i8mha75DWopDSy7TQO4qrrvuPsOUdZuGzTld5IK3XQ17s9qxIUK302I"
    "hZV03bvfTY/Ihcz+OxCYugeYXDMI302GR6bDhUO/DY3Nu72pSrjHpoeEBVw2FTthlK6FJI"
    "3ZNmS5BquU1cLFJ8+yW3dQUnWNy87ZaDRRaCVwaqfUZrO377FAua79AX28+4U3w/Qdrx1e"
    "6O/51qhWO2hYt0qJXJQBXhTQJvccR2jExGbadFba8smG6XWrdWMkwpE3mGFkp6wAhyeDrD"
    "kkOVwDzDLBWhOqBpqjPoq0pfLWqb+jgYfGoB9sssUbwJZofiB7REbdMztT3C6rDdv+upvU"
    "G/BYLjTWxSzXzb/IStUj6mnmWK9dcxR/GO8kO1zf6CvmVYpZoJZn/V7RU0tA0NwOnUtbC6"
    "H9wQzDtZBPyAQhreN1iSQnHVzK/IMmBK5lox6nE6iX1x7Cf034IaxA/F/Hpxujpgf4B0E9"
    "L1IEa/mkZo6Xr4Ebmea7FIGRJjltNivuNlI0dL31hOdA+Zv1GuIsm2JkfSR2wO0Tbxr1WA"
    "aQLtlG9jIWs7U9Br77kh0H7c1i3BgFJpO3XCaO9eiWBkidwTkbG3xk+hRV2V61ciDTACC8"
    "Ss02zdDwS8FbZWiL43yQVFa2uvTUbj94+dSxdHqVwcEd4UwDtOJ6XKNGO7XNwtF3eXe3F3"
    "asjLDoDdsfBURnDjU2CZUtUFcplIwvCEtnXChS8k7jNdHbuJM4KkeFAq8SBgTAJsscs4Ql"
    "Rmp2HjrjPsfVa1X4c9VVX6LRA9H+G7jtJXtPe9m1ueQTx0NsLt+25voA2VzmDI84tHz0dY"
    "6fb4GgjnfyPHcp7NBpvnIceyj7znV44+EE8oHnoIvuYh0m1W4nQ4y9uc3MTQXCzZzJfyTl"
    "6bpoEgFkiRYbrYSBlTwn0NFb/ksC/i9WBwE7E3X/fiXrX722uFMpVjHyR1S4bP+Mht4v2J"
    "0crN5cpj+E/6e6SXTzxdVtPfI718PyLXc3n5pNVAWg2OrthukxJur0otoYyaDsYstUWXdc"
    "p5/qR+m1bvJFPV5RSayUmcB+bJJE7ymNPbGDiEgJjAQgvzKwIzy1wA1ip9EmDSwQSo4ssy"
    "bdn0ABJabYYsltV7CnQCoIXAA8vN9RLStlZkbH5Lyey1p/uM8Aj/aumEsDRhmNPTB8Y2dF"
    "RX3owzBGx+kTtp+S1OgG0CCCYWtOfAtJhvwOvJiu0cBOCMIGuEGRWVORe0Byadtllr8Nlp"
    "jD8GNFr85Mm0HpFFy+gj05uhr8h65tnJVpjoBnsAezWZIDS1ZT6yssy2JxnGA3c0aI8oJR"
    "Iza9epCFmZDQgbRgM2T89yqfa0WkbI91lCDYf0JV4s0yIo1q2pCFPKNRWhNRUeMII1FQa0"
    "iYYsy0yxmYtjjaNUdYh2PXSkMWbR2i5vNtCRUsgPoyiVRIQuuV4kjSD1V4dFRpCE+nY8Xc"
    "ON3BRoGEFcZ7ZeEVr+fbhUfNFNy0PvACOS6fIqKU7LdHn7Tpc3pnrnrIgg5xPUAuFDC3G+"
    "cUJbWUaK0iLebihJudWmQxsxIjSljFe6QXRsv2b3O8asspe9iIhJoKEFqTCKaZRxaqlVhr"
    "TKMDgCzdKpsnmWhCS95ECCA2syJiyZimhhzTZXVtpmHOJPb5KyDlr+AT7BFcmb6qcNLTjZ"
    "Nz4ofWXYVnv9Dy0QHIuSpirD4WDYAvwv7g/IZ2gsnJoikjA16GEiVyrvU6GUFD4jNtDi47"
    "QyZEVaa6S15vjWGhmyUmeu5wlZiVqa8tqAolQybCUzbGUZbPmxZeBKaPOQSuK6NnQlOq7k"
    "SvSqJ32tIjYii0nhddUV/NAdZU01z/ed4qXx8oCL/TMrO++i6W08M9JvclS/CVpA3ShivP"
    "EJdmNQOOruZlF7wJuzPAYBWkuo1vNrcSuZbT+Z9CWeQ3tezEgWI6yFFyWW+O3iIgfitJY4"
    "8Ru7Fot+Sd0FUQy0V79+Nsi95NXTvR2A8+LrE9QR4PO3uRA+f5sBMbsYs/M6AQiai81GLo"
    "70No7o5jjdAvXduTaSsAjcG9JMJ2ZHNQ020kz3I3JdZKYrEEoXsnwsdRZ5v63tY6l/csL3"
    "KzYEcmn44e11N8dop8a4coC0Ty2/jSx9Mm+k6PnulZMsTR8GdUqj6gsFm1RNP0WQcaf78i"
    "qfO9kzRKzZf0WWLZAcRaJ6iERqm/m0TfZSFUDYrV5DdJu5lM1mhrLZTEnibmKCcIosJo5+"
    "DJEcPuzxOM6znQU4HnV5wV//B45EhGs="
)

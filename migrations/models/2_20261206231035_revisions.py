from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "storyboard_revisions" (
    "id" UUID NOT NULL PRIMARY KEY,
    "version" INT CHECK ("version" >= 1) NOT NULL,
    "label" VARCHAR(200),
    "origin" VARCHAR(10) CHECK ("origin" IN ('USER', 'GENERATION', 'RESTORE')) NOT NULL,
    "generation_model" VARCHAR(200),
    "word_count" INT CHECK ("word_count" >= 0) NOT NULL,
    "scene_count" INT CHECK ("scene_count" >= 0) NOT NULL,
    "total_duration" INT CHECK ("total_duration" >= 0) NOT NULL,
    "snapshot" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "storyboard_id" UUID NOT NULL REFERENCES "storyboards" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_storyboard__storybo_cf8d15" UNIQUE ("storyboard_id", "version")
);
CREATE INDEX IF NOT EXISTS "idx_storyboard__storybo_acaac5" ON "storyboard_revisions" ("storyboard_id");
COMMENT ON COLUMN "storyboard_revisions"."origin" IS 'USER: USER\nGENERATION: GENERATION\nRESTORE: RESTORE';
        ALTER TABLE "storyboards" ADD "version" INT CHECK ("version" >= 0) NOT NULL DEFAULT 0;
        ALTER TABLE "projects" ADD "search_vector" TSVECTOR GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'B')) STORED;
        CREATE INDEX "idx_projects_search" ON "projects" USING GIN ("search_vector");
        ALTER TABLE "storyboards" ADD "search_vector" TSVECTOR GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('simple'::regconfig, coalesce(brief, '')), 'B')) STORED;
        CREATE INDEX "idx_storyboards_search" ON "storyboards" USING GIN ("search_vector");
        ALTER TABLE "scenes" ADD "search_vector" TSVECTOR GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, coalesce(visual_description, '')), 'B') || setweight(to_tsvector('simple'::regconfig, coalesce(script, '')), 'B') || setweight(to_tsvector('simple'::regconfig, coalesce(text_overlay, '')), 'B')) STORED;
        CREATE INDEX "idx_scenes_search" ON "scenes" USING GIN ("search_vector");
        ALTER TABLE "characters" ADD "search_vector" TSVECTOR GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, coalesce(name, '')), 'A') || setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'B')) STORED;
        CREATE INDEX "idx_characters_search" ON "characters" USING GIN ("search_vector");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_projects_search";
        ALTER TABLE "projects" DROP COLUMN "search_vector";
        DROP INDEX IF EXISTS "idx_storyboards_search";
        ALTER TABLE "storyboards" DROP COLUMN "search_vector";
        DROP INDEX IF EXISTS "idx_scenes_search";
        ALTER TABLE "scenes" DROP COLUMN "search_vector";
        DROP INDEX IF EXISTS "idx_characters_search";
        ALTER TABLE "characters" DROP COLUMN "search_vector";
        ALTER TABLE "storyboards" DROP COLUMN "version";
        DROP TABLE IF EXISTS "storyboard_revisions";"""


MODELS_STATE = (
    "eJztXet32jgW/1d0+NL2nGxPSPNo2d05h4DbMk2gS5yZ2Vnm+AgQwRMjU9skzXbnf19Jfs"
    "lPbIOJ7egL2LKuLP+uXvehqx+tlT5Hmvm2u1a/oKdWB/xoYbhC5CL05Ai04Hrtp9MEC041"
    "lhWuVeUePbFEODUtA84skr6AmolI0hyZM0NdW6qOae4uWEPDwsgAMwPNEbZUqP0d6Fh7Ah"
    "DcfO7+7eTsHOgLYC0RMBHJYwHVBKalk9zgtWqBJTQBzTNVLZNmJEUY+vrpzVv6/rk+IxVQ"
    "8V35r9pg9dsGKZZ+h0gBBnnhf/4gySqeo+/IdG/X98pCRdo8AK46pwWwdMV6WrO029tB/y"
    "PLST9jqsx0bbPCfu71k7XUsZd9s1HnbykNfXaHyEdCC8052PFG0xwOuUl2jUmCZWyQV9W5"
    "nzBHC7jRKPNa/1hs8IzyDLA30Z/Tn5yqcdkUZTiSlRtJVpRWhNe0CiGeOEkzHdN2omKLAv"
    "XjL7tcHxCW2qIv6H3ujl+/O3/DINBN685gDxlcrb8YIbSgTcpA91Fm/xGce0toxOPs5g8h"
    "TSpaBGM3wQfZ7xAufC5AJUDaWsHviobwnbUktyfHxykY/9IdM5hJLoazTnqw3bWHzqMT+x"
    "nF28d3baCF+j0Pwj5FAzFun2eAuH2eiDB9FASYDKoKGYKWeSDmafYD8vbB4mAQn59mgPj8"
    "NBFi+igIsTnTaRkRgH++GQ3jAfYpQvDO1ZkF/gc01bTKasvcqDzdqJqlYvMtfd9zDMwUIV"
    "ryyjS/aTzMr6+7v4U50LsaXYZHcFrAZYgdZA6mkCnQirKkT55Y6grFsyVIGWaNQ/rWvajj"
    "YEM+cD4iaxenB6awRh5cSzdy9/prgD/9rizRJycs9SmU+jo8MHmFgF8H8mdAb8Hvo6EUZq"
    "OXT/69ResEN5auYP1RgXNusHBTXdQCXNegaSkbsxDfw7R74LxT5aowviaMdjFJ5bSBHvT7"
    "QnwOUgouV5nLpDsaSj4ZhyPZp6ATZeohFy/FxRoqOS7uY6UailQU2Y9EZlXvMJHVGb4DUg"
    "+IZ3HijCPY3zrF1BJRP9V/vwEfPUmbb07k08kHI8teN3dvet2+1GIAT+Hs/hEacyWANH2i"
    "n+ihFC9v9NHqZBVOgRjeMWzoV9A6u9oU00RWK07Nwh4cpWpZaJZsOpZkOLfrLH60/G8hEg"
    "O0Nuyd3PKKEqDvRJQzTfI676OdL3Je5La2FstMqstu2CjBlb829D/RzHI4tad3CK3Ls2pd"
    "7sn3RXGW8GaVILA6+ausEWgNrrufpA5gfxPcve0PRh3A/ib4l0FfInfsb4Jvbi/lgXxFMr"
    "tXEyx/vr2+HHYHVx3gXU7wSP4sjTuA/YVVl1mE4Q8ZZOEPb0Dvs9T7Al5PGNCTFhgMwetX"
    "7ENeHYFX7BvoBas+vXCrTa+92tIbVtFXbxKF6w8R2dobPbK2BZ/icK2h9VUa9gfDTzl7mU"
    "vWAc7FBI+lbv/fHcD+ijD0IgNDLziG2mi5LHWqQTnFapDCqYswpxaqhpS86tIAUZV7b1Gd"
    "6dlZFp3p2VmyzpQ+Cyk4dGwhbNlA5QA7TCfwzoa3qf4XKdMnK07H11uiGREpL9W7AbYSBq"
    "QAeQh0uvysIeh3tBJ/+3By8u7dxcnxu/P3Z6cXF2fvj9+TvKzG0UdpI9Pl4NNgKHOjkgcZ"
    "GZkuJflXSRqCNugO++CMlHhx/KF9EjYzkAJCfJtvCKTkyxQTkfrPk7n3UdNhAvPiygixcE"
    "GpG6Us6I9uL68k8HUs9QY3g9HQZ0wYDsKen/4JbFb4+gNGTpNIgmoLTWQ6ucpQTJCB3zaQ"
    "0D8p5oxIpkW4FyngBbMugAXXrY5Zt2rnZeHW4oKsXCEL0uV+HisJT7OTnaQ+7CvFIEKdEe"
    "Adov4VeZYLIbLGGQLbxydZTIE0W7K9lT0U9idhf9qs5wW5HqQUXK8K12PMFE7tub5ORk84"
    "s3KbKsJ0O6gIt09u9TBXhJxWFga5zolqiEyAGnK14hXlWTENUgm7Wtj1h3x0TkR5GtFEIy"
    "vVp6lObWQ5MQ0TCmDT7L9Op44inNsE/NUvqZb9f6sVODj+xRuC45vwHtC9CRRWx3a7Fd9I"
    "z80AMR1A94GuW04zgeWmme2YegvSPeDa48tqJLbh5ft2fN2l6R7g/cIV1Uh0Q8v4Up1v4k"
    "S52VJXZzGcunSKGGEk6+RnjDSmxc7QEwYreFdfh8IIx+KFtf3h5jbxpsGW09XLH0hj3L0C"
    "o2yyy5fXrEtw+4o4X5EPVk0L4dkT0xr/keYXFiRlHyc8tmrrsSX2yZW7T46vWQRmmfSDBP"
    "N1kKwRaKepj6Xf5HTzmac9vhoNP7nZwza1iLtNYFTL0cpjSBvBgrAhLUuDb6c0+Ha0wQuD"
    "sdhBV8WWX09blrBgvkSuZ7FgCquQ0LZXR/WTRduerPnxIfc3OsWrIj5+2a6E8PZT1XKxkK"
    "6zmUHTIoXsiBBToOfR9lZtXE9V1BTQIapUXyX0h+Upwmwc0rRhHlIZVGIK41fGmFPyEgGP"
    "8pVJrnUTYWCgBTKIgIcAK+wI6BjRME802pM9CkVjShUvaoInuAsM/dFN1x8JHaQKOWAtIQ"
    "YQ2JM0fe6r/joOPfcK/+ERgHgO4AQv7OkIEEkV0KYOFoa+4jKCR32jzcEU0bc8kaWKHfRq"
    "tkQrkgAx1i360JEBwKNqLUmF+3QEJx/OMrNqAN1gN17JwB7lTSeV9h4RHasqC5ujFK1fBd"
    "zfquVhvB83GNZLckLK0wg4o8vxPPbCTGZxdxYvwSheSSaUYBSH7gp7J2SzrtPriSrfrzPI"
    "QzuFlvhZn8atrWhy6oLqT336bEEl3K3/xgYrcEH71x5jS/iv0RA0kUKKVUm5IoKFWBkVim"
    "CREnKxBhEsqmQeqklciH/dSrdSP2fTdag6wP6f4PHtcMjCRDgXNEJIrydJfZrJu5zgj93B"
    "FU2y/ye41x32pCuW5F2GhdEsHMwbJSQYVML+ChZTwq6+HSHEqTW9setLr7xq5owRcpfL+c"
    "AjKNQSKqZjOUiQXp0Ofckb6BNjH/CUh4t8cFwW1HbYg5P26cXp+3fnp160Ay8lLchBIMKB"
    "C0x053ScKdw0Y1t4st8HR9KENn5olw9kGHqMyJeMt0cg0M6PNrQstFrHmWu2DS88pRheuO"
    "HFBSYhsAadMoqjHqY+HPLvqo88D46NfiQWhom+5QfdIRKtnA8ThL4lNPA1fNJ0GCOBJTuP"
    "cSTCd6y47xh5ROufA3ifQuC+A+6e/isC/Zag2DxhA3236uurFXXRs7WQ28KZJc4hEXIxm3"
    "CzSQCdhHklogbO2dni6EUc+ip3uZkGCQ/myjSf43+AqglCYdmH6Aif82To6+l9nMXn3LSg"
    "UYzrQUoxhlZ5DF2oWDWXhdgcIhV8rjKfxQ6Spo3hYgeJCIRVe2DF1hwRCKv6+GYMhJVl9x"
    "N6QHjX3U8/61OJFlPDuXY/u3ry+07aeMU7UHpYpnpRKj7n9h2phZZutytqSQpHZhHegs/q"
    "LVgPi2CZy+MSjIJRu2stfAbzoyz8BYW/oPAXbPzAJlwG9zRRl+TEllfn1VhdV311W1GVpr"
    "9szroG9imEUitV9/Knva1sR82Aszmtlnhu1Qn4balKJ1B7AYhjRF0+OHGyqOuGjC1F0uUD"
    "XxNhYEPDHQiBt3ICr82XCNZp4q5HIpaGccddihChz7X4Iws1Up1dzhmNllDwqMpKeeel8C"
    "H5oMogFBFp5/356XHuA0ezlSkikFbFm1l4gyVPG/X0JBARSF8i17P4jzzjGWrVFAv3K2Yf"
    "+rSkamK6h+OSsljeRdzRysbSFGfKxMCQosHJEEjTP6gpZxxNl9CPfZkU8RK8hqFwlx1gIg"
    "SC8T7fxMfYLOc1IiplBSa8oxTlkgif2KzDmJsCamSRlkd9n+UowZyBE3McJFhJFuznIEER"
    "kLK6ASldp+qYZQrnb528QHF8lg8cnJKsHrwgqI4HGc2+p2iRfOmc2mOXN4j1yrOuVyzV0n"
    "L5o3kEjTDWBB3SzjI5pJ2lOKSdVer0vGqKkQezjNXD57bV7cmDX6Scw0arP+5+lDuA/U2w"
    "XUYH2P8T3Btdf72SZOZN616SXARS8pgkuldh0bV8D1tWYeo+a1eVOdK6NWTJTs3yONUKi0"
    "0y6+qpuxcWm5fI9SwWG34JmnVxyNMIi02qxYZBtQeLza25r0O5qiiH8g2qHgabqo1QiSaF"
    "wLweOD++OEiNPCYu5Cm++5bbpoLjb27e9cjBPBvBawNVmd7att0+RoPmGfST9WfMKF6Ok3"
    "Z4t7ttfydS4ZQe4SIMalVSUAV4E8E72WM7RCa8tuO8tjcGjNdLbdsryVOKQJ7cRkkXmIQY"
    "nnazZFBFME9RSwWoDqia6o2GsjSU8+qmPo9GXzqA/lJNFCuC6qHYBUmRu+RO7k6wPO4Obw"
    "byYDTsAP+6iE6qne2YH14r5WHqaqZofW11FKsou5S79M+vW4pWqh1h9oNqbqCmFFQAx1M3"
    "Qut+cEUwq2Qe8H0KoXgvsCWF4KroD8jQYEzk2mTUw3QC+/zYz8i/ARWI7/LZ9cJ0TcD+AO"
    "EmhOkhGf16KqGF6eElcj3TZpEqBMaspsZ8z9tGni18YzXRPWT8RrGLJF2bHAgfURyiXfxf"
    "6wDTDJoxc2MubTsV0BtvubGgeb+rWYICJZNymoRR6VYJv2UlmScCbW+LnUIJmiq370QaYQ"
    "RWiGqn6b4fCFgpdK8Q6TfRDUVbc28NRuPVj94LE0elTBwB3uTAO0wnVpVxynaxuVts7q72"
    "5u5Yl5c9ALvnxVMVwQ0PgVUKVeevy5JWGO6ibdviwlsklhmujr7EbkFieVCp5YHPmAjYyS"
    "bjAFGVjYatm9548FVWfh0PZFkadkDwfoJvetJQUj4Orq5ZBHHuboK7t/3BSBlLvdGYxRcP"
    "3k+w1B+wPRD2fyHDcpbDBtunnGHZQ961Kwc/iAUU5z6C7XkIVJum2BVOszZHDzHUV2s68s"
    "X0yUtd1xDECatIni7UUqaEsKym4qUctiNejkZXAX3z5SBsVbu9vpQIUxn2flC3qPuMh1wR"
    "60+IVhwuVx3Ff9TeI6x8ycNlPe09wsr3ErmeycontAZCa/Dsgu0uIeFKFWotwqj5aEpDW/"
    "Rppezvj8q3cfmOUkVdRqHojMT+YBZM4iiLOr2LgU0ILB0YaKU/ILAw9BWgpZIvATppTIAI"
    "vjTSlkkuoEWyLZBBo3rPgWoBaCBwR2NzvYakrI011b/HRPYq6T0TPMG/Gqpl0TBhmNGTD8"
    "YmtEVXVozdBEz2kBlp2SuOgKkDCGYGNJdAN6htwK3Jhp4cBODCQsYEUyqy5lyRGuhk2Kal"
    "wSe7MPYZUOuwm0fduEcGSSOfTF6GHpDxxKKTbbClavQDzM1shtDcFPHIqjLaHqUoD5zWoN"
    "yjGE/MtFOnAmRVViAU9AZsH59kEu1JthSX75OIGA5JJ16t4zwotu2p4CnFngpuT4ULTMKe"
    "Cg2aloIMQ4/RmSf7GgepmuDtemhPY0y9tR3eFJCRYsgPIyhVZAldcblIKEGaLw4nKUEi4t"
    "vzyRqO52aChOH7dabLFdz278OF4gseWs71AUokwuXVcjktwuWVHS5vSuTORZ6FnEfQCIQP"
    "vYjzlBPKxtBihJbk44ailDsdOlSIEdyQMt2omqVi8y1933OMKqWcRWTpFtQUPxRGPokyTC"
    "2kSk6q5MFJkCztLMWjJETpBQciHNgSMWFNRUQDK6a+MeIO40ieeqOUTZDyDzAF1yRuqhc2"
    "NOdg3/okDaVxVx4MP3WAf50UNFUaj0fjDmB/YXtANkVj7tAUgYCpfg0jsVJZnXKFpPAYUU"
    "CKD9MKl5Uqa2sekGEWmrQ4wmecrY4rMUM5WCRMTUIhlsyDZinEhFdQk7mexSsoqMzLqmYL"
    "UgnPoFTPoLV/qsqOvkHc+Sy1xHWrd1CwXYnN/nWPq1tHbJKUUrm3rtdwossEkIEeVNN1Yd"
    "sBI89+NXYKbBJgh7Efesil2hF5fLPYE5UAh0uPUuwKZmJ7XqVMgvUStMtc/Zckd7ejDl9T"
    "pOXRBHsEzVMAlxLUUDfUOzWmRScrgH2KKlthW7c30rgD6O8Eu3pVGnzYv57gMREVR2OpA5"
    "yLw+h8bQBdnS+tIVXw+vWid06Fiih8yfcrbC7L023iaEUPytSDHnUybc/0DY4RZ7fNC0Fa"
    "MTUEpwYfndQQ6wWxDxEL8IPgc/A00GReDx5kspqbGK7NpR7TA5Ideniaw7vyPI+2shSnHW"
    "EXKsKKilsEooYgEQ44F39FOOD6hAMuUyvHToaM0cO5J0Yma942Ztbwmrv48At12rOq09AK"
    "qrmkVI9gP5qH7SgfTDJ9d5JFMiW5EiVT9izsT2maTIZaQnOZB+cIYZU1PUV1AWdnWXQBZ2"
    "fJugD6LLRP0gnznRVoN79QtWRStagrMs/kwdcjaCLAp+8zIXz6PgVi+jAkTtpb1RRfI1hA"
    "tRJbxot3MYzCIrwNX4jfmfA2fIlcT/I2zLHpmnPgWqs0RsuuLlxr9Ysd6KVmTSCTH47jLL"
    "cjRnv1KawGSGVK+V1kqLNlK0bOd54cpUn60M9TGVE/cWETK+nHLGSc4b66wudeTpcu5CiT"
    "tFRPdpER0maCtEk7VQ6EnewNRLedSdhspwib7ZjjPnVsoTjDcrJZjSMRVrWcVrVnDUTz1/"
    "8B6Uub6w=="
)

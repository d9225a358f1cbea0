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
    "SC8T7fxMfYLOc1IiplBSa8oxTl0rOfHlwA90quKkRMynIXaXnU91mOEswZODHHQYKVZMF+"
    "DhIUASmrG5DSdaqOWaZw/tbJCxTHZ/nAwSnJ6sELgup4kNHse4oWyZfOqT12eYNYrzzres"
    "VSLS2XP5pH0AhjTdAh7SyTQ9pZikPaWaVOz6umGHkwy1g9fG5b3Z48+EXKOWy0+uPuR7kD"
    "2N8E22V0gP0/wb3R9dcrSWbetO4lyUUgJY9JonsVFl3L97BlFabus3ZVmSOtW0OW7NQsj1"
    "OtsNgks66eunthsXmJXM9iseGXoFkXhzyNsNikWmwYVHuw2Nya+zqUq4pyKN+g6mGwqdoI"
    "lWhSCMzrgfPji4PUyGPiQp7iu2+5bSo4/ubmXY8czLMRvDZQlemtbdvtYzRonkE/WX/GjO"
    "LlOGmHd7vb9nciFU7pES7CoFYlBVWANxG8kz22Q2TCazvOa3tjwHi91La9kjylCOTJbZR0"
    "gUmI4Wk3SwZVBPMUtVSA6oCqqd5oKEtDOa9u6vNo9KUD6C/VRLEiqB6KXZAUuUvu5O4Ey+"
    "Pu8GYgD0bDDvCvi+ik2tmO+eG1Uh6mrmaK1tdWR7GKsku5S//8uqVopdoRZj+o5gZqSkEF"
    "cDx1I7TuB1cEs0rmAd+nEIr3AltSCK6K/oAMDcZErk1GPUwnsM+P/Yz8G1CB+C6fXS9M1w"
    "TsDxBuQpgektGvpxJamB5eItczbRapQmDMamrM97xt5NnCN1YT3UPGbxS7SNK1yYHwEcUh"
    "2sX/tQ4wzaAZMzfm0rZTAb3xlhsLmve7miUoUDIpp0kYlW6V8FtWknki0Pa22CmUoKly+0"
    "6kEUZghah2mu77gYCVQvcKkX4T3VC0NffWYDRe/ei9MHFUysQR4E0OvMN0YlUZp2wXm7vF"
    "5u5qb+6OdXnZA7B7XjxVEdzwEFilUHX+uixpheEu2rYtLrxFYpnh6uhL7BYklgeVWh74jI"
    "mAnWwyDhBV2WjYuumNB19l5dfxQJalYQcE7yf4picNJeXj4OqaRRDn7ia4e9sfjJSx1BuN"
    "WXzx4P0ES/0B2wNh/xcyLGc5bLB9yhmWPeRdu3Lwg1hAce4j2J6HQLVpil3hNGtz9BBDfb"
    "WmI19Mn7zUdQ1BnLCK5OlCLWVKCMtqKl7KYTvi5Wh0FdA3Xw7CVrXb60uJMJVh7wd1i7rP"
    "eMgVsf6EaMXhctVR/EftPcLKlzxc1tPeI6x8L5Hrmax8QmsgtAbPLtjuEhKuVKHWIoyaj6"
    "Y0tEWfVsr+/qh8G5fvKFXUZRSKzkjsD2bBJI6yqNO7GNiEwNKBgVb6AwILQ18BWir5EqCT"
    "xgSI4EsjbZnkAlok2wIZNKr3HKgWgAYCdzQ212tIytpYU/17TGSvkt4zwRP8q6FaFg0Thh"
    "k9+WBsQlt0ZcXYTcBkD5mRlr3iCJg6gGBmQHMJdIPaBtyabOjJQQAuLGRMMKUia84VqYFO"
    "hm1aGnyyC2OfAbUOu3nUjXtkkDTyyeRl6AEZTyw62QZbqkY/wNzMZgjNTRGPrCqj7VGK8s"
    "BpDco9ivHETDt1KkBWZQVCQW/A9vFJJtGeZEtx+T6JiOGQdOLVOs6DYtueCp5S7Kng9lS4"
    "wCTsqdCgaSnIMPQYnXmyr3GQqgnerof2NMbUW9vhTQEZKYb8MIJSRZbQFZeLhBKk+eJwkh"
    "IkIr49n6zheG4mSBi+X2e6XMFt/z5cKL7goeVcH6BEIlxeLZfTIlxe2eHypkTuXORZyHkE"
    "jUD40Is4TzmhbAwtRmhJPm4oSrnToUOFGMENKdONqlkqNt/S9z3HqFLKWUSWbkFN8UNh5J"
    "Mow9RCquSkSh6cBMnSzlI8SkKUXnAgwoEtERPWVEQ0sGLqGyPuMI7kqTdK2QQp/wBTcE3i"
    "pnphQ3MO9q1P0lAad+XB8FMH+NdJQVOl8Xg07gD2F7YHZFM05g5NEQiY6tcwEiuV1SlXSA"
    "qPEQWk+DCtcFmpsrbmARlmoUmLI3zG2eq4EjOUg0XC1CQUYsk8aJZCTHgFNZnrWbyCgsq8"
    "rGq2IJXwDEr1DFr7p6rs6BvEnc9SS1y3egcF25XY7F/3uLp1xCZJKZV763oNJ7pMABnoQT"
    "VdF7YdMPLsV2OnwCYBdhj7oYdcqh2RxzeLPVEJcLj0KMWuYCa251XKJFgvQbvM1X9Jcnc7"
    "6vA1RVoeTbBH0DwFcClBDXVDvVNjWnSyAtinqLIVtnV7I407gP5OsKtXpcGH/esJHhNRcT"
    "SWOsC5OIzO1wbQ1fnSGlIFr18veudUqIjCl3y/wuayPN0mjlb0oEw96FEn0/ZM3+AYcXbb"
    "vBCkFVNDcGrw0UkNsV4Q+xCxAD8IPgdPA03m9eBBJqu5ieHaXOoxPSDZoYenObwrz/NoK0"
    "tx2hF2oSKsqLhFIGoIEuGAc/FXhAOuTzjgMrVy7GTIGD2ce2JksuZtY2YNr7mLD79Qpz2r"
    "Og2toJpLSvUI9qN52I7ywSTTdydZJFOSK1EyZc/C/pSmyWSoJTSXeXCOEFZZ01NUF3B2lk"
    "UXcHaWrAugz0L7JJ0w31mBdvMLVUsmVYu6IvNMHnw9giYCfPo+E8Kn71Mgpg9D4qS9VU3x"
    "NYIFVCuxZbx4F8MoLMLb8IX4nQlvw5fI9SRvwxybrjkHrrVKY7Ts6sK1Vr/YgV5q1gQy+e"
    "E4znI7YrRXn8JqgFSmlN9FhjpbtmLkfOfJUZqkD/08lRH1Exc2sZJ+zELGGe6rK3zu5XTp"
    "Qo4ySUv1ZBcZIW0mSJu0U+VA2MneQHTbmYTNdoqw2Y457lPHFoozLCeb1TgSYVXLaVV71k"
    "A0f/0fisCb6w=="
)

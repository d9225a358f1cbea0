from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_jobs_status_ba3f25";
        CREATE TABLE IF NOT EXISTS "asset_sources" (
    "id" UUID NOT NULL PRIMARY KEY,
    "ordinal" INT CHECK ("ordinal" BETWEEN 1 AND 100) NOT NULL,
    "asset_id" UUID NOT NULL REFERENCES "assets" ("id") ON DELETE CASCADE,
    "source_id" UUID NOT NULL REFERENCES "assets" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_asset_sourc_asset_i_d1d4b6" UNIQUE ("asset_id", "ordinal"),
    CONSTRAINT "uid_asset_sourc_asset_i_3a1bb8" UNIQUE ("asset_id", "source_id")
);
CREATE INDEX IF NOT EXISTS "idx_asset_sourc_source__ed2726" ON "asset_sources" ("source_id");
COMMENT ON TABLE "asset_sources" IS 'An asset another was made from, at `ordinal` in the order the upload gave them.';
        CREATE TABLE IF NOT EXISTS "idempotency_keys" (
    "id" UUID NOT NULL PRIMARY KEY,
    "key" VARCHAR(200) NOT NULL,
    "operation" VARCHAR(64) NOT NULL,
    "request_hash" VARCHAR(64) NOT NULL,
    "object_id" UUID,
    "created_at" TIMESTAMPTZ NOT NULL,
    "user_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_idempotency_user_id_bc4599" UNIQUE ("user_id", "key")
);
CREATE INDEX IF NOT EXISTS "idx_idempotency_created_944834" ON "idempotency_keys" ("created_at");
COMMENT ON TABLE "idempotency_keys" IS 'One per (user, key): the unique constraint decides which of two racing requests creates.';
        CREATE TABLE IF NOT EXISTS "job_stages" (
    "id" UUID NOT NULL PRIMARY KEY,
    "ordinal" INT CHECK ("ordinal" >= 1) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "status" VARCHAR(9) CHECK ("status" IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED')) NOT NULL,
    "started_at" TIMESTAMPTZ,
    "finished_at" TIMESTAMPTZ,
    "duration_ms" BIGINT,
    "error" TEXT,
    "details" JSONB,
    "job_id" UUID NOT NULL REFERENCES "jobs" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_job_stages_job_id_4a8702" UNIQUE ("job_id", "ordinal")
);
CREATE INDEX IF NOT EXISTS "idx_job_stages_job_id_1a9ce2" ON "job_stages" ("job_id");
COMMENT ON COLUMN "job_stages"."status" IS 'PENDING: PENDING\nRUNNING: RUNNING\nSUCCEEDED: SUCCEEDED\nFAILED: FAILED\nSKIPPED: SKIPPED';
COMMENT ON TABLE "job_stages" IS 'One stage of a job: declared (its plan) or, for a job without a plan, as reported.';
        ALTER TABLE "assets" ADD "provider_ref" VARCHAR(500);
        ALTER TABLE "assets" ADD "provider" VARCHAR(200);
        ALTER TABLE "assets" ADD "prompt" TEXT;
        ALTER TABLE "assets" ADD "generation_params" JSONB;
        ALTER TABLE "assets" ADD "job_id" UUID REFERENCES "jobs" ("id") ON DELETE SET NULL;
        ALTER TABLE "assets" ADD "owner_key" UUID;
        -- Existing assets: the first of scene, storyboard, project that they name.
        UPDATE "assets" SET "owner_key" = COALESCE("scene_id", "storyboard_id", "project_id");
        ALTER TABLE "assets" ALTER COLUMN "owner_key" SET NOT NULL;
        ALTER TABLE "assets" ADD "order_index" INT CHECK ("order_index" BETWEEN 1 AND 10000);
        ALTER TABLE "assets" ADD "role" VARCHAR(64);
        ALTER TABLE "jobs" ADD "idempotency_key" VARCHAR(200);
        ALTER TABLE "jobs" ADD "planned" BOOL NOT NULL DEFAULT False;
        ALTER TABLE "jobs" ADD "priority" INT CHECK ("priority" BETWEEN -100 AND 100) NOT NULL DEFAULT 0;
        ALTER TABLE "jobs" ADD "error_details" JSONB;
        ALTER TABLE "assets" ADD CONSTRAINT "uid_assets_owner_k_91f321" UNIQUE ("owner_key", "role", "order_index");
        CREATE INDEX IF NOT EXISTS "idx_assets_storybo_4ce416" ON "assets" ("storyboard_id", "created_at");
        CREATE INDEX IF NOT EXISTS "idx_assets_job_id_14e379" ON "assets" ("job_id");
        CREATE INDEX IF NOT EXISTS "idx_jobs_status_66f5d9" ON "jobs" ("status", "kind", "priority", "created_at");
        CREATE INDEX IF NOT EXISTS "idx_jobs_storybo_8e30c2" ON "jobs" ("storyboard_id", "created_at");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_assets_job_id_14e379";
        DROP INDEX IF EXISTS "idx_assets_storybo_4ce416";
        ALTER TABLE "assets" DROP CONSTRAINT IF EXISTS "uid_assets_owner_k_91f321";
        DROP INDEX IF EXISTS "idx_jobs_storybo_8e30c2";
        DROP INDEX IF EXISTS "idx_jobs_status_66f5d9";
        ALTER TABLE "jobs" DROP COLUMN "idempotency_key";
        ALTER TABLE "jobs" DROP COLUMN "planned";
        ALTER TABLE "jobs" DROP COLUMN "priority";
        ALTER TABLE "jobs" DROP COLUMN "error_details";
        ALTER TABLE "assets" DROP COLUMN "provider_ref";
        ALTER TABLE "assets" DROP COLUMN "provider";
        ALTER TABLE "assets" DROP COLUMN "prompt";
        ALTER TABLE "assets" DROP COLUMN "generation_params";
        ALTER TABLE "assets" DROP COLUMN "job_id";
        ALTER TABLE "assets" DROP COLUMN "owner_key";
        ALTER TABLE "assets" DROP COLUMN "order_index";
        ALTER TABLE "assets" DROP COLUMN "role";
        DROP TABLE IF EXISTS "asset_sources";
        DROP TABLE IF EXISTS "idempotency_keys";
        DROP TABLE IF EXISTS "job_stages";
        CREATE INDEX IF NOT EXISTS "idx_jobs_status_ba3f25" ON "jobs" ("status", "kind", "run_after");"""


MODELS_STATE = (
    "eJztXWtzozi6/isqf5l0VaYrNyfd3nO2yhe629NpO8dxZvbseouRbTlhgoUbcNLZOfPfjy"
    "TuIDBgcIDoS4KBV4jnFdJ715+ttbZEqvG+u1G+opdWB/zZwnCNyEHoyjFowc3GO09PmHCu"
    "slvhRpEf0Qs7CeeGqcOFSc6voGogcmqJjIWubExFw/TuLthA3cRIBwsdLRE2Faj+DWhYfQ"
    "EQ3H7p/nzWvgTaCpgPCBiI3GMCxQCGqZG7wZFiggdoAHrPXDENeiNpQtc2L+/e0+cvtQXp"
    "gILvy3/UFivft0g2tXtEGtDJA//1b3JawUv0AxnOz82jvFKQugyAqyxpA+y8bL5s2Lm7u+"
    "HgE7uTvsZcXmjqdo29uzcv5oOG3du3W2X5ntLQa/eIvCQ00dIHO96qqs0h55TVY3LC1LfI"
    "7erSO7FEK7hVKfNa/7Xa4gXlGWBPon8u/m53zXebLI/GU/lWmspyK8Jr2oUQT+xTCw3Tca"
    "JgkwL1519Wux4g7GyLPqD/pTs5Or98xyDQDPNeZxcZXK2/GCE0oUXKQPdQZv8jOPcfoM7H"
    "2bk/hDTpaB6MnRMeyN4H4cDnAFQCpK01/CGrCN+bD+Tn2clJAsa/dicMZnIXw1kjX7D1aY"
    "/sS2fWNYq3h+9GRyvlRxaEPYoGYnx6mQLi08tYhOmlIMBkUpXJFPSQBWI/TTEg754sDgbx"
    "5UUKiC8vYiGml4IQGwuNthEB+Jfb8YgPsEcRgnepLEzwf0BVDLOsseybledbRTUVbLynz3"
    "uNiZkiRFteG8Z31Q/z0bfuP8Ic6F+Pe+EZnDbQC7GDrMEUMhmaUZYMyBVTWSM+W4KUYdbY"
    "pO+dgzpONuQFl2Miu9hfYAJrpsNv0u20++0mwJ9BdyrRK2fs7Evo7FF4YnIbAb8Np18A/Q"
    "n+OR5JYTa6903/2aJ9gltTk7H2LMOlb7JwzjqoBbiuQsOUt0YuvodpC+C83eWqML4mjHYw"
    "SeS0jp60x1x8DlIKLleZy+Rz1OVsOo6PpEhFJ8rUQwov+dUaqjmuHrlaDUUqiuwnorMq95"
    "jo6gzfIekHxAueOmMr9nd2M7VE1DvrPV+Hz66m7R9O5NXJCyPTkpu7t/3uQGoxgOdw8fgM"
    "9aUcQJpe0c600Bn33uil9dk6fAZieM+woW9B++xYUwwDmS2emYVdOE60stBb0tlY4uHk2C"
    "z+1dKeyRCgFhzauK6pyJo5lhRCyuXWv0N2jT9b3vsSrQKaW9YvnwhGCdAPou4ZBumSC4z9"
    "1nZnnBHZYjeTV2I/2Ezia3+ja3+ghWlzs5xnUJPPy1yj/C30McIA9KoGoMDATgt2gKjcta"
    "gqAsZOiH0CnD09pDVHOPfnMkVUTEQr2xbhn3I5EKMFkX+H2IwZtkHiEN50pawf3ve0Ez+f"
    "nV5cXXw4v7z4QG5h/XTPXCWwYDiagv4Xqf8VHM386MxaoCdNf5OkETgF3dEAnJ6c8Gyb2p"
    "Oy5ElaSdZNj6Z5470kE7IFmayjVR6oHbrmwd1OBXc7Ae42F+71hqN6T4nMEgu0TdEEiJOU"
    "bOkf02RzpqtjX49Hn53bwzbOIN42OqSX8gbqcJ3J0Mwl3svmXB9ulGJcfiTvGWWAhLfrGF"
    "eKfX+VfVWt4bfuZ6kD2L8Z7t4NhuMOYP9m+NfhQCK/2L8Zvr3rTYfTa3KzczTD0y9333qj"
    "7vC6A9zDGR5Pv0iTDmD/Wjnmro8pZq6P77zVmQJNluXhCBz9xF7kp2PwE3sHesC6Tw+cbt"
    "Njt7f0B+voT+9iZ8KPEa+Pq7OmHQsexeFGQ+tGGg2Go88ZlS6HrAPsgxmeSN3B/3YA+5eH"
    "oUlylsPQKx9DLbQcltrdoJxiPUjg1FWYUytFRXJWR36AqMpfb15RrN1OI4q12/GiGL0Wcr"
    "1p2ETYtIDKAHaYTuCdDm9D+Q+S5y8mz/tsK3s95T5W3wuS51L3Kge6pe99PDs7P786Ozm/"
    "/NC+uLpqfzhxFb/opaSZqTf8HFACPcgiOmCbtHh18vH0LCxOkwZCfFtubaHMQKT/y3jufV"
    "I1GMM8XhshFq4odaNkusH4rnctgZuJ1B/eDscjjzFhOAh7/v7f4CQodVvk9BQ5oVjmfLKc"
    "XKdoJsjA71tI6F9kY6Hp3JluF/ciDbxh1gWw8H1WJ5ZpJSsLdzYXZOUamZBaf7OoVX4aoU"
    "3l16aozwTeI755PV5cCJE1LkTt9OQsjWGY3hYfCcguisgoERm13Sxzcj1IKbheFa5zAmjs"
    "3vu+dTJ7woWZOYgmTLeH93L34laPQBo/rH9o84yAehQCynBk+konxxnxDJEJUMPeGV+kS1"
    "pMg1QieC4c309eOiOifhoxRCNCfyBQKjWmYUIBbFKQp/1RRxHOHOd547VUy+9/Z6hncP7j"
    "R3vyh3AB6N4GGqvjuN2Jb+TLTQExnUCLQNdpp5nA+paZ3Zi6sn0BuPb9bTUS27AmtBtfRz"
    "QtAN6vvqYaiW5IjN8NLtGjCsD1F6uVRkLqaZoBNMnjweju+jopYcE372pbfYFkVcGPHLdU"
    "z6b+9HWCVOYoiYea5SPcsuZqaBqKAz3ox0O68oSWAq1YtDJlwvCsV4sHTVlwZlQH2zFGU4"
    "382Y2wu2IN1/C+vtl9ySPSnVaLw81ZipoGW568K/sDjcu+8r7fHTlYsjXNpi13gwGjAhBr"
    "NOUKPEMDrOESgZWurY8BNMHvmr5UMFR/BwpmtWhYtDo72m5UDS7BPXxC9PeaU+Om+Pa5SW"
    "LWq9tLlNUeTY0KXrAXIPIjnDImMqFeNxPK5lgE6hRpJQ5hk2KMCsopodDw8knCzlv/N5J2"
    "qPtpRBpa2A7pTjQZEA0QCUN5ogESOgnJe+psbmJzPYfpTr0tsCzuNoy5MkZ1YK2iNhz4Uq"
    "uUwO9ZzjhiZMCsFi9EuvpRKcn8oXR5grRimAgvXljEVWImf5CUvZxIfq+tyCeqH5abuurv"
    "WQTm+ITKEFkj0D50WmV4VsswyjmkjWBBOAg1zYA/TRjwHCVGBFuLuohVHPn1jAMV0b9vke"
    "tpon9FGKAIr6qOKp4mvCqNb9orX7enn7W2wkKy828BDZM0sidCLGIqS3hP1eb1op3RCnV8"
    "Ckd04R7VEA5J1jAXqRQmMZnxK6VrdfqAgEv5k0GONQNhoKMV0omChwBr7BhoGNHNO+geHt"
    "YsFPWi5m9qhme4C3Tt2TmvPRM6yFyx5gPEAAJrkabXPdNfx6b3PcK7eAwgXgI4wytrOQJE"
    "UwV0qDOfru9G8Kxt1SWYI/qUFyKqWFuZLB7QmpyAGGsmvWjrAOBZMR9Ihwd0Bicvzm62nM"
    "ea5Q52WwbWLG/YZ+nXI/Y8qYpgc5xg9atA6li1snOL8TdWyYFbUzgj4ngWD06qOGhnFS8h"
    "CrqSTCghCjrG7ZsR2dzeyVqgutvlW5y/cbhE643GzNUxG7SF7kgUsxTv3gwbthG+gw0RCY"
    "5oUfVjKou861jBY4xtwAOMSA0L8gwiljwoiwe2s9qzRoShBRU2dERuNojEY0kjHCGsrAdR"
    "Ee13+yzbG+l3us1bZAc4bWOXW2TSFxXlFLzZmn8jdzLxTl06Ih29+5kMUnJWMWZYRxsVLo"
    "h8NX9hlzD6YTq9YDIXa4y8Tnx0na9ePc9NK4SqVxWqMvqYmutXKsWR6n53WTAOEDUQ6eKr"
    "i/snwCxIh+kE2GlKuc9zmPADRKXmR1fFV5pBA6uXB7QiKlnFXV8cj2eFd46qyUeT4Paq3N"
    "ZRlTB9H9dj7yia/crR/+yk2Hil7w9tXkKgaVIcqVcr262griuarphMLC5rByfnmSqCBpJJ"
    "swppV+xFJcJxK6JDcjcfSFAia7D5QJWiE2tS0v9/7qQ7aZBx6NpUHWD9n+HJ3WjEKvzbB3"
    "Rzh35fkgb0Jvdwhj91h9f0lPV/hvvdUV+6Zqfcw7AZLg0Hs27wENwPwHoLth2A1X1rcwe7"
    "1/SH1V965HYzy/YO/uUmW7qjn/Jw+Y4n4eFwssenVlyCowOGL8PxZ/LlxSU5blSIMeJMcj"
    "1NI4syjkHcowoBPidkZSHunvGjnlUsSr9u9Mbj64AK1huGw9zvvvUkMumxQe5Vx46Wnyef"
    "0n2mvA6XoAkbOB1mSzK6rMfX9U+YPDzKV5w8qpcp7QATLejOyzIwDO4Ij0+p8ZE0YYwfOp"
    "sG6brGMQvE4+0SCLRzok1ew4SKmmk7uAihyKfJn08T8oRnWU85pE34Dg6wskLTJNDxgsB3"
    "rax+SrGy+lZWB5iYrW4oT/OjHqY+HPLn1UfeD46FfmR3GgN9zw66TSRGuX/jLvQ9ZoBv4A"
    "stYJVlHfWRiBU0/wpKLtH+ZwDeoxC474H7FstwxY1/TXaDBwgbmBHaJDe45cPatcFg7BoS"
    "IReriW81CaATs65EnIgZPzYefQHfXH3mvtp9cgsVEh4s5Xm2ciIBqubpgcVHxtUrjuuw0N"
    "ezpkGaShaGCfV8XA9Sijm0ynPoSsGK8ZCLzSFSwecq81nUpWnaHM5hu6hLI/ZTqxewouCP"
    "2E+t+vim3E9N1FTav6YSekJ4X3x+0eYSbaaGskgqjFh42P4Y3ZrpyiHVBqOSUzmsMcXP53"
    "DHW2JSh+yN7qJriHubkVFvpEhGr1QiQT28ymWqWCU4lqO++1qkE2RHWaQSZEslEOHWIty6"
    "hhObiLguaKEuJQY4u920sfbS+tpHo2ZxT2xOKwN7FMIwmmi/O+QG0tXEM+8O0q9ftcAyDf"
    "BVXddskKzqekaKdOXq2P20rhsEhLxDy8WpUEdLcEQrsdGUw3dA04/BStOtW1iZNm1rkl/0"
    "6jGAtDLvRqOuZ36huuIfsUMVdzddFep4ldRxsbNqmTur8lRzsbGZqKRA2r6RRgOi8GecLR"
    "yyDrAP8ltAbr8Ob27YPdbB4a0f9iukM3/Yvcxo/BBRW41XW0TU1tvg83JrVUyV1zx3n3If"
    "K6mECHNJKxXjqy2sfDw7Oz+/Ojs5v/zQvri6an84caWW6KUk8aU3/ExLdQR4G63dITLtD2"
    "lly5FjL7LrC8lRE4awHagLQ9ibM4QR5qx0i4kRQ5h77TjJEPZo31VKyIdBN47zgj62dEcq"
    "YWqqlqnJ5UsE66S4D5dEWJk4IpnYxf3V5DOiEZLu7Mxy/qRqMIYL0RZCjFhR2rJYUVaqcw"
    "IfBuO73rUEbiZSf3g7HI88w1AQiojb/8PlhW0E9HRS1hab791ygxOpe521TbFJfFXEbpFa"
    "G79s1DMtS2wS/xa5niYZzy+vp84Z89EINTtRzWZQFaBo3zrt1BLT3blMvhEl0pgauN25Y5"
    "l447udB2FIsOCk2OvcMeNk3urcIfS2J4/blBwcwdCO5B1gIASCW7K/42+DXs5jxMbhFVjw"
    "jhOMS2KH60IT+72vPBOiITIBalHbhj/6TOxBZmTc29pvq68jC3bKdKEhKPYMr9ue4U6FCo"
    "6Y4iteES+g2AUgDrxpHJEe3G337HhCentBm6r5W/eZPfZ5gpBXXlVeMRVTzRQG7BI0wlkT"
    "DCNtp4oDbifEAbejpvxXdI1VU408mGesJhHY3f50+KuUcdpoDSbdT9MOYP9m2GqjA6z/M9"
    "wff7u5lqYsrdw5JHcRSMllctI5Cquu5Qdbsw7TQGqrqyyj3OkhO233LEuAtfDYxLOunrZ7"
    "4bF5i1xP47Hxi6BphUM/jfDYJHpsGFQFeGyK29y8inqof0DVw2FTtRkq1qUQWNcdC/ieIL"
    "mW9KYC5WxOnx+iwkKZqweOVylyT4wyVdWsDVRlRmtbfnuOBc116Mfbz5hTvJwg7XDpUMv/"
    "TrTCOblFRGtXykAV4E0E7/iI7RCZiNrmRW3bGYk8+19y1QU/pdgVyVdzwQEmZkMka1gyqC"
    "KYJ5ilAlQHNE31x6OpZCVkZrFNfRmPv3YA/UstUawJaodiB+TMtEt+TbszPJ10R7fD6XA8"
    "6gDvOI9N6jRdAQe/VcrF1LFM0f5a5ijWUXY47dJ/Xt8SrFKnEWY/KcYWqnJOAzCfuhFW94"
    "Mbglkns4DvUQjDe46UFIKrrD0hXYWcbcDiUQ/TCeyzY78g/3UoQ3yfza8XpmsC9geouypc"
    "D/Ho19MILVwPb5HrqZJFqrDLUDUt5gWnjbzaXjjVRFdshlMda3KgfER+iPaJf60DTAtocN"
    "bGTNZ2qqA33nNjQuNxX7cEBWpK2mkSRqV7JbyRFeeeCIy9HX4KOeiqTFdeeY2oddoqfsxa"
    "oblC5LvhV0pOvHtnMRq3f/S3cHFUysUR4E0GvMN0QqrkGdtFcrdI7q52cjc35KUAYAsWnq"
    "oIbngKrFKpOk8ui5MwHKFtl3DhColllqujD7FGkBAPKiUeeIyJgB3vMg4QVdlp2LrtT4Y3"
    "U/m3yXA6lUYdEPw9w7d9aSTJn4bX31iReN+vGe7eDYZjeSL1xxNWZj74e4alwZDlQFj/cz"
    "mWL9I4li98jmUXecevHHwhVkPe9xIs5yHQbXrG6nCSt/ki4onQ1hs683G+yZ6mqQjiGCnS"
    "TxcaKXNCWNZQcc8c9kPsjcfXAXtzbxj2qt1960mEqQx7r6hbNHzGRS6P9ydEK2q+V8fwH/"
    "X3CC9f/HRZT3+P8PK9Ra6n8vIJq4GwGry6YrtPSbhSlVqTMGo5ntPSFgPaKev9o/ot777j"
    "RFWXUcgaI7FemBWTOE5jTu9iYBECUwM6WmtPCKx0bQ1oq2yHQTKYAFF8aaUtgxxAk9y2Qj"
    "qt6r0EigmgjsA9rc11BElbW3Ou/eBU9irpOTM8w7/pimnSMmGY0ZMXxga0VFfWjDUEDHaR"
    "OWnZI46BoQEIFjo0HgDbI9HtyZZtrQhXJtJnmFIRmXNNeqCRaZu2Bl+sxthrQLXDfjxr+i"
    "PSyTnyyuRh6AnpL6w62RabikpfwNguFggtDVGPrCqz7XGC8cAeDfIj4kRiJm2/HiCrsgEh"
    "ZzTg6clZKtWe3JYQ8n0WUcMh+YjXG14Exa6cCj+lyKnw5VQ4wMTkVKjQMOXMe0IFqZoQ7X"
    "roSGNMo7Vt3uTQkTjkh1GUKiJCV1wvEkaQ5qvDcUaQiPr2erqGHbkZo2F4cZ3JeoUv/ftw"
    "pfjsAoBOAI73DVAiUS6vluK0KJdXdrm8OdE7V1kEOZegEQgfWohzjRPyVs+2yWeUcq9Nh3"
    "IxwjelzLeKairYeE+f9xqzSil7EZmaCVXZK4WRTaMMUwut0qdV+sGJ0SytW/JXSYjSCw5E"
    "OLCjYsKGqog6lg1tq/M244hfeqOUTdDyD7AE16Ruqls2NONk3/osjaRJdzocfe4A7ziuaK"
    "o0mYwnHcD+hf0B6QyNmUtTBAqmej2M1EplfcpUksJlRA4tPkwrQlaqbK15QrqRa9HyEb7i"
    "anVSiRXKxiJmaRIGsXgeNMsgJqKCmsz1NFFBQWNeWjNbkEpEBiVGBm28XVX2jA3y7c9SS1"
    "x3RgcFx5VI9q97Xd06YhNnlMqcul7DhS4VQDp6UgwnhG0PjFz/1cRusEmAHcZ/6CKX6Ef0"
    "45vGnygHOFx6lWJHMRPpeZVyCdZL0S5T+i9J7z6NBnzNkZrFEuwSNM8AXEpRQ01X7hXOiI"
    "43AHsUVfbCtu5upUkH0L8z7NhVafFh73iGJ0RVHE+kDrAPDmPztQB0bL60h9TA6/WL/rI7"
    "lMfgS95fZmtZls+GRyu+oFRf0LNGlu2FtsUcdXbXuhCkFUtDcGnw0EkssZ4T+xCxAD8Ivg"
    "+eBrrM68GDVF5zA8ON8aBxvoD4gB4/zeFDeV7HWllK0I7wC+VhRcU9AlFHkCgHnIm/ohxw"
    "fcoBl2mVYztDcuxwzo6R8Za3rZG2vOY+MfzCnPaq5jS0hkomLdUlKMbysBvlg2mm52dpNF"
    "NyV6xmyq6F4ykNg+lQD9B4yIJzhLDKlp68toB2O40toN2OtwXQa6E8SbvMd1qgnfuFqSWV"
    "qUVZk3UmC74uQRMBvviQCuGLDwkQ04shddJKVZM9i2AO0wq3jTcfYhiFRUQbvpG4MxFt+B"
    "a5HhdtmCHp2hfAtVFojZZ9Q7g2yler0EvNhkCqOBxlidYbzUR48VIAVkOvtQZjZgcY7olV"
    "oXGY1QCpTMtIF+nK4qHFsY3YV46TrCPQu6cy5pFYYZBrHeEIf/YSWV2FvZAduXMFF8WpN/"
    "FhRUJDj9HQ6UeVAWH79gaie5pKQT9NUNBPOVukapgsl5lckT4S4YnM6Il81eI9f/0/gTq0"
    "EQ=="
)

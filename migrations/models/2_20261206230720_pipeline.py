from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_jobs_status_ba3f25";
        CREATE TABLE IF NOT EXISTS "asset_sources" (
    "id" UUID NOT NULL PRIMARY KEY,
    "position" INT CHECK ("position" BETWEEN 1 AND 100) NOT NULL,
    "asset_id" UUID NOT NULL REFERENCES "assets" ("id") ON DELETE CASCADE,
    "source_id" UUID NOT NULL REFERENCES "assets" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_asset_sourc_asset_i_efd71f" UNIQUE ("asset_id", "position"),
    CONSTRAINT "uid_asset_sourc_asset_i_3a1bb8" UNIQUE ("asset_id", "source_id")
);
CREATE INDEX IF NOT EXISTS "idx_asset_sourc_source__ed2726" ON "asset_sources" ("source_id");
COMMENT ON TABLE "asset_sources" IS 'An asset another was made from, at `position` in the order the upload gave them.';
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
    "position" INT CHECK ("position" >= 1) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "status" VARCHAR(9) CHECK ("status" IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED')) NOT NULL,
    "started_at" TIMESTAMPTZ,
    "finished_at" TIMESTAMPTZ,
    "duration_ms" BIGINT,
    "error" TEXT,
    "details" JSONB,
    "job_id" UUID NOT NULL REFERENCES "jobs" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_job_stages_job_id_2e1d07" UNIQUE ("job_id", "position")
);
CREATE INDEX IF NOT EXISTS "idx_job_stages_job_id_1a9ce2" ON "job_stages" ("job_id");
COMMENT ON COLUMN "job_stages"."status" IS 'PENDING: PENDING\nRUNNING: RUNNING\nSUCCEEDED: SUCCEEDED\nFAILED: FAILED\nSKIPPED: SKIPPED';
COMMENT ON TABLE "job_stages" IS 'One stage of a job: declared (its plan) or, for a job without a plan, as reported.';
        ALTER TABLE "assets" ADD "generation_params" JSONB;
        ALTER TABLE "assets" ADD "order_index" INT CHECK ("order_index" BETWEEN 1 AND 10000);
        ALTER TABLE "assets" ADD "role" VARCHAR(64);
        ALTER TABLE "assets" ADD "provider" VARCHAR(200);
        ALTER TABLE "assets" ADD "provider_ref" VARCHAR(500);
        ALTER TABLE "assets" ADD "prompt" TEXT;
        ALTER TABLE "assets" ADD "job_id" UUID;
        ALTER TABLE "assets" ADD "owner_key" UUID NOT NULL;
        ALTER TABLE "jobs" ADD "priority" INT CHECK ("priority" BETWEEN -100 AND 100) NOT NULL DEFAULT 0;
        ALTER TABLE "jobs" ADD "idempotency_key" VARCHAR(200);
        ALTER TABLE "jobs" ADD "error_details" JSONB;
        ALTER TABLE "assets" ADD CONSTRAINT "fk_assets_jobs_497ced5d" FOREIGN KEY ("job_id") REFERENCES "jobs" ("id") ON DELETE SET NULL;
        CREATE UNIQUE INDEX IF NOT EXISTS "uid_assets_owner_k_91f321" ON "assets" ("owner_key", "role", "order_index");
        CREATE INDEX IF NOT EXISTS "idx_assets_storybo_4ce416" ON "assets" ("storyboard_id", "created_at");
        CREATE INDEX IF NOT EXISTS "idx_assets_job_id_14e379" ON "assets" ("job_id");
        CREATE INDEX IF NOT EXISTS "idx_jobs_status_66f5d9" ON "jobs" ("status", "kind", "priority", "created_at");
        CREATE INDEX IF NOT EXISTS "idx_jobs_storybo_8e30c2" ON "jobs" ("storyboard_id", "created_at");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_assets_job_id_14e379";
        DROP INDEX IF EXISTS "idx_assets_storybo_4ce416";
        DROP INDEX IF EXISTS "uid_assets_owner_k_91f321";
        ALTER TABLE "assets" DROP CONSTRAINT IF EXISTS "fk_assets_jobs_497ced5d";
        DROP INDEX IF EXISTS "idx_jobs_storybo_8e30c2";
        DROP INDEX IF EXISTS "idx_jobs_status_66f5d9";
        ALTER TABLE "jobs" DROP COLUMN "priority";
        ALTER TABLE "jobs" DROP COLUMN "idempotency_key";
        ALTER TABLE "jobs" DROP COLUMN "error_details";
        ALTER TABLE "assets" DROP COLUMN "generation_params";
        ALTER TABLE "assets" DROP COLUMN "order_index";
        ALTER TABLE "assets" DROP COLUMN "role";
        ALTER TABLE "assets" DROP COLUMN "provider";
        ALTER TABLE "assets" DROP COLUMN "provider_ref";
        ALTER TABLE "assets" DROP COLUMN "prompt";
        ALTER TABLE "assets" DROP COLUMN "job_id";
        ALTER TABLE "assets" DROP COLUMN "owner_key";
        DROP TABLE IF EXISTS "idempotency_keys";
        DROP TABLE IF EXISTS "asset_sources";
        DROP TABLE IF EXISTS "job_stages";
        CREATE INDEX IF NOT EXISTS "idx_jobs_status_ba3f25" ON "jobs" ("status", "kind", "run_after");"""


MODELS_STATE = (
    "eJztXW1z2zYS/isYfYkz42Zsx4oT9a4zsswkamzJJ8tNr9UNA0mQzZoCFBKyo8v1vx8Avr"
    "+KpPVCMvhiUyAWBJ8FQeyD3eX3xpxMkW6+ai+0T2jVaIHvDQzniB2EzhyCBlwsvHJeQOFY"
    "F1XhQlMf0EoUwrFJDTihrHwGdROxoikyJ4a2oBrBvHYbLKBBMTLAxEBThKkG9Z8BwfoKQH"
    "Dzsf3TSfMNIDNA7xEwEatDgWYCkxJWGxxoFNxDE/A6Y42avCJrwiCL1ctX/PpTMmEd0PDd"
    "9i+1xNrXJVIpuUOsAYNd8M//sGINT9E3ZDo/Fw/qTEP6NACuNuUNiHKVrhai7Pa2e/Fe1O"
    "S3MVYnRF/OsVd7saL3BLvVl0tt+orL8HN3iN0kpGjqgx0vdd3WkFNk9ZgVUGOJ3K5OvYIp"
    "msGlzpXX+MdsiSdcZ0Bcif85/cXumq+aqvb6Q/VGGapqI6Jr3oWQTuyiCcF8nGiYcqC+/2"
    "216wEiShv8Ap2P7cHB6zcvBQTEpHeGOCngavwtBCGFlqgA3UNZ/I/g3LmHRjzOTv0Q0qyj"
    "RTB2CjyQvQfCgc8BaAuQNubwm6ojfEfv2c+To6MUjH9rDwTMrJbAmbAn2Hq0e/apE+scx9"
    "vDd2GgmfYtD8KeRA0xPn6TAeLjN4kI81NBgNmkqrIp6D4PxH6ZzYC8frLYGcRvTjNA/OY0"
    "EWJ+KgixOSG8jQjAv970e/EAexIheKfahIL/AV0z6bbGsm9WHi81nWrYfMWvt4+JmSPEW5"
    "6b5lfdD/PBVfv3sAY6l/3z8AzOGzgPqYO9gzlkKqRRlVywM1Sbo3i1BCXDqrFFXzkHVZxs"
    "2A1O+2ztYj+BKaoZdq+Um2H76jqgn4v2UOFnTkTpKlR6EJ6Y3EbA5+7wI+A/wR/9nhJWo1"
    "tv+EeD9wkuKVExeVLh1DdZOKUOagGt69Ck6tIspPew7AY0b3e5LIqviKIdTFI1baBH8lBI"
    "z0FJqeUya5k9joaaz8bxiWzS0IkqdZeLl+JmDbccZw+xVg1HKorse2azaneY2eoC3y7rB8"
    "STOHPGNuxv7WYqiahX6l3fgE+upe0fTuzW2Q0jaq2b2zed9oXSEACP4eThCRpTNYA0P0NO"
    "SKjErRs9NT+Zh0sghncCG34XvM8Om2KaiDbiaBZx4jCVZeFVsnEsyXDGcBZ/NsgTGwKcwe"
    "GNG0RH1swx5RByLTf+E+I1vje8+2VWBaRL0S/fEowLoG/M3DNN1iUXGPuu7c44I7IhKrNb"
    "Ej/ETOJrf2GQv9CE2trczjU45bMaE67fjV5GEkB7JYACAzsr2AGh7b6LyrLAWAuxbwFnTw"
    "9Z6QinfiEqomRLtG1zEf4pNwZiNGHr3y6mCcM2KBzCm78pq4f3He/ETyfHp2enb1+/OX3L"
    "qoh+uiVnKSro9oag81HpfAIHIz86owY4V4afFaUHjkG7dwGOj47iuE3yqE3jVlpp7KYnU7"
    "/xviUK2YJMNdCsCNSOXP3gbmaCu5kCdzMW7vkixvQesjVLItC2RB0gTjOyld+H6XSma2Nf"
    "9nsfnOphjjOIt40O66W6gAac5yKaY4WfxTlXRxtbIZcf2H1GFaDg5TxhK8WuX+a9qkb3qv"
    "1BaQHxb4TbtxfdfguIfyP8W/dCYb/EvxG+uT0fdoeXrLJzNMLDj7dX571297IF3MMR7g8/"
    "KoMWEP8aBeaudxlmrncvvbczB5q9lrs9cPBC3MiLQ/BC3AM/EN3nB063+bHbW/5DdPTFy8"
    "SZ8F1k18e1WbOOBU9id6Ohca30Lrq9DzmNLkesBeyDER4o7Yt/t4D4V0ShaessR6FnPoVa"
    "aDkqtbvBNSV6kKKps7CmZpqO1Lwb+QGhMj+9RZdizWaWpVizmbwU4+dCW28EU4SpBVQOsM"
    "NyEu9seJvaf5E6XtG43Wfb2DvX7hLtvaB4IXOvdKBb9t67k5PXr89Ojl6/eds8PTtrvj1y"
    "Db/oqbSZ6bz7IWAEepBFbMAma/Hs6N3xSXg5zRoI6W26tBdlJmL9nyZr771OYILy4toIqX"
    "DGpWu1prvo355fKuB6oHS6N91+z1NMGA6mnl/+CY6Cq25LnBexAs2i89nr5DJDM0EFfl1C"
    "Jr9SzQkxYme6ddqLNPADqy6Ahe+xOrKolbwqXNtcUJVzRCFnf/OYVX4ZaU0Vt6b4ngm8Q/"
    "H0evJyISRWOxe146OTLMQwr5bsCShOSs8o6Rm1XEwLaj0oKbVeFq3HONDYvfe0/hcZ53Sf"
    "8SSesWO5/oVWDeeZEOPt8x7ICmdQSjokhX2m2U3nRNQvI4doZCEVcD7JjGlYUAKb5jhnP9"
    "RRhHP7zl17LVXy+V/rPhec/+I96OKH8AbQvQk0VsVxuxbfyJObAWI+gW4CXaedegLre82s"
    "x5StmjaA6K9WK7XE01tXBtBklwe928vLND9a39AlS2OCVF3DDzFs6bkt/f7TAOmCv0uGWr"
    "jJ3ojmKmixJIEepJeRoT0yu02ilYTW1h20bciS3LQ9RNc4a6vWwM8aF4+BkAIQE+6bDZ6g"
    "CeZwisDMIPNDACn4whY8Gq//BWhYRK0LvzZxtFzoBE7BHXxE/Pc8Jhp+CxeI9Se3bt5ekt"
    "oNcjfq4Bl7VmA/wu7l0mt6r17TrsoiWK/zQfVL1mlHchMeqA42ce6nYa7X/5hkHe2Bh056"
    "rYdMbHeuyYFoQEhyQKm2NXTil565lnbjoKo5TNeup/1PaQabz11plAfWMlopgSe1TPF+3S"
    "maLwhFeLJKyK8UqpG6qNS8ujnyLfUxAgu2hjvgMZGHgAm+bFkLOqFk4KELpmjCrmGCp3tt"
    "ci8SIz0RwFpnOgIGYpVNagJrO9GMri+3daERHuEvdqlIbfKFZ2mKJHAiC9tbmq1vp4AnbN"
    "LwYkl/ZjUN8gSIbi1kobWufWIjmpVq5ggbaKHDCZqC8UqcwugbdXrB6tF70Ri7neQVry/c"
    "lO9rywVtqRa0OT0UNuqZsO8F7PZDeNznLg/GAaEaIr354ED/BJgH6bCcBDtLJOa4wKZxQG"
    "irW3EVtMCq5b5UEnus5H4rMe5KJU78UpGHpkqZX0ppYpc09QvfJYyx/+zNw2Sj7y8y3kLS"
    "l2wJXdwASEMjhkbFsnhbCVica+oImkhlzWqsXZlKRqaSKYkNGRs7nGJEViB2uLCHexYr8j"
    "jFiozZ8qhIRO6/bpVb5SLn0LWlWsD6P8KD215PBOjaBzw2u9NRlAteyT0c4fft7iUvsv6P"
    "cKfd6yiXosg9DNNwWTSYNz47GM5r3YWI5rW6b8Vm273mP6z+8iO3m3mis/2vm5wbkD7J3W"
    "1AHoWHw9EzHrUN7jjaYPh2HH9iT17SpiNT8l2uwF9XoA6ZQXaT64a/cJIDRlOGtSe5x2Fd"
    "wk11G5hopGAU/jmrFzvCk5Pf+ETqMMZ3nf0GGQaJMViT8XYFJNoF0Wa3QaGm58ozFBGUUb"
    "HFo2JDe7R53qcxonV4DnbwZoWUMuhogTerX1K+WX1vVgeYhBwKXKfFUQ9L7w751+VH3g+O"
    "hX4k7YGJvuYH3RaSo9yfEQZ9TRjgC7ji7s553qM+EfkGLf4GZad4/3MA70lI3J+B+xKrcE"
    "bjtpjWfJnDL1jDRAN12qC1dlfWZa5KfIdExOXbxPc2CaCT8F6JbG/lfNji5OXHcMr8yE10"
    "yHQwVce5jMGgVP3swM37bFXLw2i30FczVU6WBEkmhUYxrQcl5Rxa5jl0pmHNvC+k5pCo1H"
    "OZ9SzTndVtDo9ReyTlgczRJZNKlRrYFJ9cmVRKJpUqCb4Zk0plydjjfWsyCHvu7DOVXU6l"
    "J+lBjwg/F59fyVjhzVRwLZIJI+Ee9nyMbhwvs7pgtOUgA2tMxUcauOMtNdxA9Ub3pr8066"
    "UT47uRMky6VC7u1dhV3qaJtYWN5ejefSUc3fOjLJ3c8zm5S3dr6W5dwYlNelxv6EW9FR/g"
    "/LxpbfnS6vKjUVp8T9+DKCfPtFn+bpcpoMuJZ9Ec0PuPp7eogXhT16UN0k1dj6TIlkhN1O"
    "cZxyBg4i2eyEyHBpqCA54jbKFD/BIQ4xDMiGFVEQnEyJKyX/zsIYAmMNCC8K3n+BRqm7/E"
    "GlPcS9Er7fEy2eMyD++W8/DGmed5PzVc468M/8hx/pv78nZBFuTmU/f6WtSxDnbPgPi/2r"
    "2WArF7mZMAkZ5btTddpOfWj6Fn99vL87gtv5TvmIcECy1XSqbX7XzHPKjb6HfJZbT9Lpm2"
    "AnH2MsJ+I3Fqkgxbg7okw344MszxHYzhwnxuhclUmO2at+NEk+QJu6k6bSuPV99QIkZ/6z"
    "7v8OdcQRJieyXEqEb1XOSMK1BDdqaZiZ1pprAzzSg74+9ZjpVkSEyuJ/OvJyvCi7U7w+5v"
    "Sl5a7GLQfj9sAfFvhK02WsD6P8Kd/tX1pTIUDj/OIavFIGWnWaFztHsKTHSY01tWV4Wvj9"
    "NDUWz3LA/tJcNUk1VXzRCnLGGqMrCtblrPEtjmX4JmXRz6ZaS5mmquCqg2YLBu7oMIZbRY"
    "/QOqGhFBZZuhMoW7ON9peFawS13B8ULTnolRrjC+ykC1TWroZsJAasQQQ9aJwzRayORVth"
    "IIFIlVFJdSmbEzZlWkI1KpeJeAbiJ4J4cGhcSkJ1LMrp2z/RlHa6U7efklZRo2n4eXA0xC"
    "BjZrWAqoIpinsC0BqR0yLp1+b6hYu795KJeP/f6nFuB/OcEimuD0ijhgJcM2+zVsj/Bw0O"
    "7ddIfdfq8FvOMiVMtxNm8xP9niYuoQLry/FssiOioOh23+z+tbCtlyHFH2o2Yuoa4W5DXj"
    "pWtBJu+c3xSdzAO+JyH55Px4U4arSh6RocOYvIPJqIflJPb5sZ+w/wZUIb7Lt10VlqsD9j"
    "sI9JSMejL61eRWJaP+I2o9C6NeirRm5SSCN8ut7y/5VjnRldm3ysMmU2g+PJdH5qbnkLVT"
    "wel9fzSyACyJSnbQXEMnq672Ns4pi+ath49fxNK55JJLxSV7iomAnUy+BYTKTL80bjqD7v"
    "VQ/TzoDodKrwWCv0f4pqP0FPV99/JKxPb5fo1w+/ai21cHSqc/ENGBwd8jrFx0hZOU9b8Q"
    "RZcl6f7xqY+ic5F3GLrgDYnQP99NCKeoQLd5idXhNN4umsyfzBf83RnzTJ4ToiOIEyw6v1"
    "xopIyZ4LaGiluy2wfxvN+/DKzcz7thfuL26lxhShXYs0qatR6JbkS4yBWxo0OyMlSvPCZU"
    "1HKWfEnydFlNy1nyJT+i1jPxJb41cWaqxCcjWZJ0lsTxoXkuQeK0U0lM13MjvhFVprA5zk"
    "uhaX/MY98ueKes+4/at3H1DlNNXSGhEiFi3bCINjvMkmiqjYElCCgBBpqTRwRmBpkD3qpI"
    "DsUGE2CGLzDIk8kOIGXVZshArHwKNAqggcAdwQgcQNbWko7Jt5fRbFNbus4Ij/BnQ6MUYa"
    "BhIc9uGJvQMl1FM9YQMMVJQXeJSxwCkwAIJgY074FIb+X2ZCmyYonPTI4wl2JrzjnrAWHT"
    "Nm8NrqzGxG1AvSV+PBHjARmsjN0yuxh6RMaKXwgsMdV0fgPmcjJBaGom5cmS5EGZyAN7NO"
    "T9sHpIrMwEQsF91eOjk0ymPauW4jxzEjHD5YfVd/1hdR2aVM2dyiMoVQe/gV37bGDu92Lr"
    "poCNFCO+G0OpJEvokttFkgSpvzmcRIJEzLf92Rr2HniCheHtkKfbFb5Amt3l6gh+vMv3DM"
    "h8GpVdTst8GtvOpzFmducsz0LOFagFwrtexLnkhLo08uVmi0o+K0VbsVAPb0oZLzWdath8"
    "xa+3j1llK5nbKKFQV72gwnwWZVhaWpU+q9IPToJlaVUpHm8WlZcaiGhgTezZgpuIBlZNsj"
    "QmuV69Uck6WPk7eAVXJLGSm1co52Tf+KD0lEF7KHKMe8dJWZWUwaA/aAHxL7wfsKUgv0BG"
    "Ja+HkWRKok+5gvtcRRSw4sOy0mVFsjWSrdk/WyNdVuqs9SwuK0GmKSsHFJSSbiupbisLLy"
    "fwMx1XfNmFK4nrWteV4LiSMT1VT59VRWySGJPcAU8VfNHtJdhJJASM2aVxEgUm788sWY3t"
    "78zIfZO97pugOdT0POSNK7AZQmE9yjujbF6fZCEEWK1Es16cC7NkpvlE2EN8D837fCRZSL"
    "AWuyihFBrNZpYUGs1mcgoNfm6PXz0s2St4BxlKtHnsZ9CT8XUF6gjw6dtMCJ++TYGYn5RZ"
    "YOpNFkiK6EfUehJFlMONy2d1LzTu9f1cu3uhfbJcxys2BDJZl9oUzReEIjxZbQCrrtdajT"
    "Hzfy+rOFYbJc/KAdI2rfI2MrTJfSPGLrfPHKZZ5tCrUxrTPNHXItYyj/GvsF+R5TUWN5It"
    "OdkSf0SGmeDMkrS09olI6zCbdcgfqhwI29VriO5xJuPwOMU4PI5JX0kwe13GrF+TvRV9Ir"
    "t3U9zPZtfGHBL3Gg7w9/8BB35iVA=="
)

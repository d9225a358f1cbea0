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
    "eJztXW1z2zYS/isYfYkz42Zsx4oT9a4zsswkahwpJ8tNr9UNA4mQzZoCFBKy48v1vx8Avr"
    "+KpPVCMvhiUyAWBJ8FQeyD3eX31oJoyLBedJf6B/TY6oDvLQwXiB1EzhyCFlwu/XJeQOHU"
    "EFXhUlfv0KMohFOLmnBGWfkcGhZiRRqyZqa+pDrBvHYXLKFJMTLBzEQawlSHxs+AYOMRQH"
    "D1vvvTSfsVIHNAbxGwEKtDgW4BixJWGxzoFNxCC/A6U51avCJrwiTLx+cv+PU1MmMd0PHN"
    "9i+1wvrXFVIpuUGsAZNd8M//sGIda+gbstyfyzt1riNDC4Gra7wBUa7Sx6Uou77uX7wVNf"
    "ltTNUZMVYL7NdePtJbgr3qq5WuveAy/NwNYjcJKdICsOOVYTgacovsHrMCaq6Q11XNL9DQ"
    "HK4MrrzWP+YrPOM6A+JK/M/pL07XAtVUdTAcq1fKWFVbMV3zLkR04hTNCObjRMeUA/X9b7"
    "tdHxBR2uIX6L3vjg5evnouICAWvTHFSQFX628hCCm0RQXoPsrifwzn3i00k3F260eQZh0t"
    "g7Fb4IPsPxAufC5AW4C0tYDfVAPhG3rLfp4cHWVg/Ft3JGBmtQTOhD3B9qM9cE6d2Oc43j"
    "6+SxPN9W9FEPYlGojx8ascEB+/SkWYnwoDzCZVlU1Bt0UgDspsBuT1k8XOIH51mgPiV6ep"
    "EPNTYYitGeFtxAD+9Wo4SAbYl4jAq+kzCv4HDN2i2xrLgVl5utINqmPrBb/ePiZmjhBveW"
    "FZX40gzAcfu79HNdC7HJ5HZ3DewHlEHewdzCFTIY2r5IKdofoCJaslLBlVjSP6wj2o42TD"
    "blAbsrWL8wRmqGbc/6hcjbsfP4X0c9EdK/zMiSh9jJQeRCcmrxHwuT9+D/hP8MdwoETV6N"
    "Ub/9HifYIrSlRMHlSoBSYLt9RFLaR1A1pUXVml9B6V3YDmnS5XRfE1UbSLSaamTXRP7krp"
    "OSwptVxlLbPH0VSL2TgBkU0aOnGl7nLxUt6s4Zbj/C7RquFIxZF9y2xW/QYzW13g22f9gH"
    "iWZM44hv2100wtEfVL/eub8MGztIPDid06u2FE7XVz96rXvVBaAuApnN09QFNTQ0jzM+SE"
    "REq8uvFTi5NFtARieCOw4XfB++yyKZaFaCuJZhEnDjNZFl4lH8eSDmcCZ/FnizywIcAZHN"
    "64SQxkzxwah5BrufWfCK/xveXfL7MqIF2JfgWWYFwAfWPmnmWxLnnAOHftdMYdkS1Rmd2S"
    "+CFmkkD7S5P8hWbU0eZ2rsEpn8cp4frd6GUkAbRXAig0sPOCHRLa7ruoKguMtRAHFnDO9J"
    "CXjnDrl6IiKrZE2zYXEZxyEyBGM7b+7WOaMmzDwhG8+Zuyfnjf8E78dHJ8enb6+uWr09es"
    "iuinV3KWoYL+YAx675XeB3AwCaIzaYFzZfxZUQbgGHQHF+D46CiJ2yT3upa00spiN32Z5o"
    "33LVHINmSqieZloHblmgd3Oxfc7Qy424lwL5YJpveYrVlSgXYkmgBxlpGt/D7OpjM9G/ty"
    "OHjnVo9ynGG8HXRYL9UlNOGiENGcKPwkzrk+2tgKuXzH7jOuAAWvFilbKU79Ku9Vtfofu+"
    "+UDhD/Jrh7fdEfdoD4N8G/9S8U9kv8m+Cr6/Nxf3zJKrtHEzx+f/3xfNDtX3aAdzjBw/F7"
    "ZdQB4l+rxNz1JsfM9ea5/3bmQLPXcn8ADp6JG3l2CJ6Je+AHovv8wO02P/Z6y3+Ijj57nj"
    "oTvont+ng2a96x4EvsbjS0PimDi/7gXUGjyxXrAOdggkdK9+LfHSD+lVFo1jrLVehZQKE2"
    "Wq5KnW5wTYkeZGjqLKqpuW4gtehGfkioyk9v2aVYu51nKdZupy/F+LnI1hvBFGFqA1UA7K"
    "icxDsf3pb+X6ROH2nS7rNj7J3rN6n2Xli8lLlXOdBte+/NycnLl2cnRy9fvW6fnp21Xx95"
    "hl/8VNbMdN5/FzICfchiNmCbtXh29Ob4JLqcZg1E9KatnEWZhVj/tXTtvTUITFFeUhsRFc"
    "65dKPWdBfD6/NLBXwaKb3+VX848BUThYOp55d/gqPwqtsW50WsQLfpfPY6uczRTFiBX1eQ"
    "yT+q1oyYiTPdOu3FGviBVRfCIvBYHdnUSlEVrm0urMoFopCzv0XMqqCMtKbKW1N8zwTeoG"
    "R6PX25EBFrnIva8dFJHmKYV0v3BBQnpWeU9IxaLbWSWg9LSq1XResJDjRO732t/0WmBd1n"
    "fIkn7Fiuf6HVw3kmwngHvAfywhmWkg5JUZ9pdtMFEQ3KyCEaW0iFnE9yYxoVlMBmOc45D3"
    "Uc4cK+c5/8lmr5/K91nwvPf8kedMlDeAPoXoUaq+O4XYtv7MnNATGfQDeBrttOM4ENvGbW"
    "Y8pWTRtA9Fe7lUbi6a8rQ2iyy4PB9eVllh9tYOiSlTlDqqHjuwS29NyRfvthhAzB36VDLd"
    "xkr0RzNbRY0kAP08vI1O+Z3SbRSkNr6w7aDmRpbto+omuctVV74OeNi8dASAGICffNBg/Q"
    "AguoITA3yeIQQAq+EFPTMTS+AB2LoHXh1iaOVkuDQA3cwHvEfy8SguE3336iN7l9686kYb"
    "fHfajDJ5wpgf2I+pZLl+n9ukw7GotBncP/1BVs0mbkhpxPOTRJjqdRljf4jOQd6kEZ6a8e"
    "Na69iaYAoiEhyf5kWtXQjVx64irai4Cq5zBdu5IOvRbXW3veGqM6sFbRPgk9qVWK9OtraL"
    "EkFOHZY0pmpUiNzOWk7tctkGlpiBFYsvXbAY+GPARM8HnHXswJJQMfXaChGbuGBR5u9dmt"
    "SIn0QABrnekImIhVtqgF7I1EK7603NaFJniCvzilIqnJF56fKZa6iSwdP2m2tNUAT9Wk4+"
    "WK/sxqmuQBEMNexEJ7TfvARjQr1a0JNtHSgDOkgemjOIXRN+r2gtWjt6Ixdjvpq91AoCnf"
    "0Zar2UqtZgv6JmzUJ2Hf69ftB+94z10RjENCDUR682GBwQmwCNJROQl2nhjMaYnt4pDQVj"
    "fhamiB1ctxqSL2WMU9VhIclSqc8qUmD02dcr5U0sSuaNIXvj+YYP8524bpRt9fZLqFdC/5"
    "Url4oY+mTkydimXxtlKvuNc0ELSQyprVWbsyiYxMIlMRGzIxajjDiKxB1HBp3/Y8VuRxhh"
    "WZsOVRk1jcf10r18pFwaHrSHWA/X+CR9eDgQjNdQ54VHavpygXvJJ3OMFvu/1LXmT/n+Be"
    "d9BTLkWRdxil4fJosGhkdjiQ174LEcdrd9+OynZ6zX/Y/eVHXjeLxGUHXzfFth+Dkrvbfz"
    "yKDoejJzxqm9twdMEI7Dj+xJ68tE3HpQExRgmT3Dkh7KWMUxD3pSKAT5nYthD3SoKoF10W"
    "5X9vnA+HlyET7LwfTftx/fFcYZOeGOR+WFs8bpQ9SjeFAqs9gSZkXtlNLiH+Wk8PyM2YPH"
    "zJPU4e1fNccIGJR2LG4V+weokjPD25UECkCWN819mFkGmSBFogHW9PQKJdEm12GxTqRqE8"
    "TjFBGXVcPuo4shNe5H2aINqE52AHb1ZIKYOOlnizBiXlmzXwZnWBSclRwXVaHvWo9O6Qf1"
    "l95IPg2OjH0kpY6Gtx0B0hOcqDGXfQ15QBvoSP3KG8yHs0ICLfoOXfoOwU738B4H0JifsT"
    "cF9hFc5p0kbemi+fBAUbmMihSdvg9h7Wusxgqe+QmLh8mwTeJiF0Ut4rsU3Egg9bkrz82F"
    "CVH7mZAZkONHVayBgMSzXPDty8Z1y9/Lh2C309UxHlSUBlUWiW03pYUs6hVZ5D5zrWrdtS"
    "ao6ISj1XWc8ynVzT5vAEtcdSSsgcaDJpV6WBzfB8lkm7ZNKuiuCbM2lXnoxI/rc8Iw5XRb"
    "P71HY5lZ0ECd0j/FR8fiVThTdTw7VILoyEe9jTMbpyvcyagtGWQznsMZUcz+GNt8ygDtUf"
    "3Zv+kq+fro3vRspg9EoFEtRjV3mbJtYWNpbje/e1CCcojrIMJSgWSiDdraW7dQ0nNulxva"
    "EX9VZ8gIvzpo3lS+vLj8Zp8T19b6OaPNNm+btdptiuJp5lc2zvP2uBTQ0km7oebZBt6vok"
    "Rb50daI+z+sGARPv8HRxBjSRBg54JjYecvgcEPMQzIlpVxFp2siKsl/87CGAFjDRkvCt5+"
    "REdZu/xBpT3EuCLM3xKpnjMtPxNjMdJ5nmRT/j3OAvOP/ImRQ291XzkgzI1Yf+p0+ijn2w"
    "e/Yj+EX0tfSH08uC5If02mq82SK9tn4MPXvftV4kbfdlfCM+IlhqtVIxvW7nG/Fh3cZzd8"
    "hI+12ybCVi7GV0/UZi1CQRtgZ1SYT9cESY6zeYwIMFXArTaTDHLW/HqTzJA/aSoTpWHq++"
    "oVSXwdYDnuFPuYJkw/bKhlGdGoXIGU+ggexMOxc7085gZ9pxdibYswIryYiYXE8WX0/WhB"
    "fr9sb935SitNjFqPt23AHi3wTbbXSA/X+Ce8OPny6VsXD2cQ9ZLQYpO80K3aPdU2Ciw5ze"
    "srsq/HzcHopip2dFaC8ZopquunqGN+UJUZVBbU3Tep6gtuASNO/iMCgjzdVMc1VAtQGDdX"
    "OfnKiixRocUPWIBqraDJUr1MX9EsaTAl2aCo4flvZEjAqF8NUGqm1SQ1czBlIrgRiyTxxm"
    "0UIWr7KVIKBYnKK4lMqMnSmrIr2QKsW7hHQTwzs9LCgiJh2REnbt3O3PJFor28UrKClTsA"
    "UcvFxgUrKv2cNSQBXDPINtCUntkHHpDQdjxd79LUK5vB8OP3QA/8sJFtEEp1fEASsZd9mv"
    "cXeCx6Pu4Ko/7g8HHeAfl6FajvN5iwXJFg9Tl3Dh/bVZFtFRcTju8n9+3zLIluOYsu91aw"
    "UNtSSvmSzdCDJ55/ym6GQR8H0JyScXx5syXFVyj0wDJuQcTEc9KiexL479jP03oQrxTbHt"
    "qqhcE7DfQZCnZNTT0a8ntyoZ9R9R63kY9UqkNKsmEbxZbn1/ibeqia7MvFUdNplC6+6pPD"
    "I3PcesnRpO7/ujkQVgaVSyi+YaOln1tLdxTlk0bz98/CK2ziWXXCku2VdMDOx08i0kVGX6"
    "pXXVG/U/jdXPo/54rAw6IPx7gq96ykBR3/YvP4rYvsCvCe5eX/SH6kjpDUciOjD8e4KVi7"
    "5wkrL/l6Lo8iTcPz4NUHQe8i5DF74hEfoXuAnhFBXqNi+xO5zF28UT+ZPFkr87i37wNyS3"
    "70/+bv9B3OCnfz3kytjREVkZqlcdEypuOUu+JH26rKflLPmSH1HrufiSwJo4N1USkJEsST"
    "ZL4vrQPJUgcdupJabruZHAiKpS2BznpZA2nPLYtwveKfv+4/ZtUr3DTFNXSKhEiNg3LKLN"
    "DvMkmepiYAsCSoCJFuQegblJFoC3KhJDscEEmOELTPJgsQNIWbU5MhEr14BOATQRuCEYgQ"
    "PI2lrRKfn2PJ5pakvXmeAJ/mzqlCIMdCzk2Q1jC9qmq2jGHgKWOCnoLnGJQ2ARAMHMhNYt"
    "EKmtvJ6sREYs8YnJCeZSbM25YD0gbNrmrcFHuzFxG9DoiB8PxLxDJitjt8wuhu6R+cgvBF"
    "aY6ga/AWs1myGkWWk5siR5UCXywBkNRT+qHhGrMoFQcl/1+Ogkl2nPqmU4z5zEzHD5UfVd"
    "f1TdgBZVC6fyCEs1wW9g1z4bmPu9OLopYSMliO/GUKrIErridpEkQZpvDqeRIDHzbX+2hr"
    "MHnmJh+Dvk2XZFIJBmd7k6wh/uCjwDMp9GbZfTMp/GtvNpTJndOS+ykPMEGoHwrhdxHjmh"
    "rsxiudnikk9K0VYu1MOfUqYr3aA6tl7w6+1jVtlK5jZKKDRUP6iwmEUZlZZWZcCqDIKTYl"
    "naVcrHm8XlpQZiGlgTe7bkJqKJVYuszFmhV29csglW/g5ewTVJrOTlFSo42bfeKQNl1B2L"
    "HOP+cVpWJWU0Go46QPyL7gdsKcgvlFHJ72EsmZLoU6HgPk8RJaz4qKx0WZFsjWRr9s/WSJ"
    "eVJms9j8tKmGnKywGFpaTbSqbbytLPCfxEx5VAduFa4rrWdSU8rmRMT93TZ9URmzTGpHDA"
    "Uw1fdHsJdhIJARN2adxEgen7MytWY/s7M3LfZK/7JmgB9cRv8qWRN57AZgiF9SjvjLJ5eZ"
    "KHEGC1Us16cS7KklnWA2EP8S20bouRZBHBRuyiRFJotNt5Umi02+kpNPi5PX71sGKv4B1k"
    "KNEXiZ9AT8fXE2giwKevcyF8+joDYn5SZoFpNlkgKaIfUetpFFEBN66A1b3Uudf3U+3upf"
    "7Bdh2v2RDIZV3qGlosCUV49rgBrPp+aw3GLPi9rPJYbZQ8qwZI27TKu8jUZ7etBLvcOXOY"
    "ZZlDv05lTPNUX4tEyzzBv8J5RVbXWNxItuR0S/wemVaKM0va0jogIq3DfNYhf6gKIOxUby"
    "C6x7mMw+MM4/A4IX0lwex1mbB+TfdWDIjs3k1xP5tdG3NI3Gs4wN//B9hUztg="
)

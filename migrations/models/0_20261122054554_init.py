from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "stored_object_deletions" (
    "id" UUID NOT NULL PRIMARY KEY,
    "storage_key" VARCHAR(1024) NOT NULL,
    "attempts" INT CHECK ("attempts" >= 0) NOT NULL,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMPTZ NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_stored_obje_next_at_5e1b2d" ON "stored_object_deletions" ("next_attempt_at");
COMMENT ON TABLE "stored_object_deletions" IS 'An object to remove from storage once the rows that referenced it are gone (an outbox).';
CREATE TABLE IF NOT EXISTS "users" (
    "id" UUID NOT NULL PRIMARY KEY,
    "email" VARCHAR(320) NOT NULL UNIQUE,
    "password_hash" VARCHAR(255) NOT NULL,
    "name" VARCHAR(200),
    "image" VARCHAR(2048),
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS "api_keys" (
    "id" UUID NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "key_hash" VARCHAR(64) NOT NULL UNIQUE,
    "scopes" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "last_used_at" TIMESTAMPTZ,
    "revoked_at" TIMESTAMPTZ,
    "user_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_api_keys_user_id_6285a8" ON "api_keys" ("user_id");
COMMENT ON TABLE "api_keys" IS 'A partner credential; only a SHA-256 of the secret is stored (it has 256 bits of entropy).';
CREATE TABLE IF NOT EXISTS "projects" (
    "id" UUID NOT NULL PRIMARY KEY,
    "title" VARCHAR(500) NOT NULL,
    "description" TEXT,
    "status" VARCHAR(9) CHECK ("status" IN ('DRAFT', 'ACTIVE', 'COMPLETED', 'ARCHIVED')) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "owner_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_projects_owner_i_e5fdc8" ON "projects" ("owner_id");
CREATE INDEX IF NOT EXISTS "idx_projects_owner_i_78cdf8" ON "projects" ("owner_id", "status");
CREATE INDEX IF NOT EXISTS "idx_projects_owner_i_0afd44" ON "projects" ("owner_id", "updated_at");
COMMENT ON COLUMN "projects"."status" IS 'DRAFT: DRAFT\nACTIVE: ACTIVE\nCOMPLETED: COMPLETED\nARCHIVED: ARCHIVED';
CREATE TABLE IF NOT EXISTS "storyboards" (
    "id" UUID NOT NULL PRIMARY KEY,
    "title" VARCHAR(500) NOT NULL,
    "brief" TEXT NOT NULL,
    "reference_urls" JSONB NOT NULL,
    "total_scenes" INT CHECK ("total_scenes" >= 0) NOT NULL,
    "total_duration" INT CHECK ("total_duration" >= 0) NOT NULL,
    "pattern_source" VARCHAR(500),
    "status" VARCHAR(10) CHECK ("status" IN ('GENERATING', 'COMPLETED', 'ERROR')) NOT NULL,
    "generated_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "project_id" UUID NOT NULL REFERENCES "projects" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_storyboards_project_9aa193" ON "storyboards" ("project_id");
CREATE INDEX IF NOT EXISTS "idx_storyboards_project_e2d80b" ON "storyboards" ("project_id", "created_at");
COMMENT ON COLUMN "storyboards"."status" IS 'GENERATING: GENERATING\nCOMPLETED: COMPLETED\nERROR: ERROR';
CREATE TABLE IF NOT EXISTS "jobs" (
    "id" UUID NOT NULL PRIMARY KEY,
    "kind" VARCHAR(100) NOT NULL,
    "status" VARCHAR(9) CHECK ("status" IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')) NOT NULL,
    "stage" VARCHAR(200),
    "progress" INT CHECK ("progress" BETWEEN 0 AND 100) NOT NULL,
    "message" TEXT,
    "error" TEXT,
    "attempts" INT CHECK ("attempts" >= 0) NOT NULL,
    "max_attempts" INT CHECK ("max_attempts" >= 1) NOT NULL,
    "seq" INT CHECK ("seq" >= 0) NOT NULL,
    "payload" JSONB,
    "result" JSONB,
    "run_after" TIMESTAMPTZ NOT NULL,
    "lease_seconds" INT CHECK ("lease_seconds" >= 0) NOT NULL,
    "lease_expires_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "started_at" TIMESTAMPTZ,
    "finished_at" TIMESTAMPTZ,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "project_id" UUID NOT NULL REFERENCES "projects" ("id") ON DELETE CASCADE,
    "storyboard_id" UUID REFERENCES "storyboards" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_jobs_project_488570" ON "jobs" ("project_id");
CREATE INDEX IF NOT EXISTS "idx_jobs_storybo_dac3eb" ON "jobs" ("storyboard_id");
CREATE INDEX IF NOT EXISTS "idx_jobs_status_ba3f25" ON "jobs" ("status", "kind", "run_after");
CREATE INDEX IF NOT EXISTS "idx_jobs_status_bc5fcb" ON "jobs" ("status", "lease_expires_at");
CREATE INDEX IF NOT EXISTS "idx_jobs_project_115202" ON "jobs" ("project_id", "created_at");
COMMENT ON COLUMN "jobs"."status" IS 'QUEUED: QUEUED\nRUNNING: RUNNING\nSUCCEEDED: SUCCEEDED\nFAILED: FAILED\nCANCELLED: CANCELLED';
CREATE TABLE IF NOT EXISTS "job_events" (
    "id" UUID NOT NULL PRIMARY KEY,
    "seq" INT CHECK ("seq" >= 1) NOT NULL,
    "status" VARCHAR(9) CHECK ("status" IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')) NOT NULL,
    "stage" VARCHAR(200),
    "progress" INT CHECK ("progress" BETWEEN 0 AND 100) NOT NULL,
    "message" TEXT,
    "at" TIMESTAMPTZ NOT NULL,
    "job_id" UUID NOT NULL REFERENCES "jobs" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_job_events_job_id_bb394e" UNIQUE ("job_id", "seq")
);
CREATE INDEX IF NOT EXISTS "idx_job_events_job_id_610185" ON "job_events" ("job_id");
COMMENT ON COLUMN "job_events"."status" IS 'QUEUED: QUEUED\nRUNNING: RUNNING\nSUCCEEDED: SUCCEEDED\nFAILED: FAILED\nCANCELLED: CANCELLED';
CREATE TABLE IF NOT EXISTS "scenes" (
    "id" UUID NOT NULL PRIMARY KEY,
    "scene_number" INT NOT NULL,
    "duration" INT CHECK ("duration" >= 0) NOT NULL,
    "scene_type" VARCHAR(10) CHECK ("scene_type" IN ('HOOK', 'CONTENT', 'CTA', 'TRANSITION')) NOT NULL,
    "visual_description" TEXT NOT NULL,
    "script" TEXT,
    "text_overlay" TEXT,
    "camera_angle" VARCHAR(200),
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "storyboard_id" UUID NOT NULL REFERENCES "storyboards" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_scenes_storybo_b24d7a" UNIQUE ("storyboard_id", "scene_number")
);
CREATE INDEX IF NOT EXISTS "idx_scenes_storybo_5e8e07" ON "scenes" ("storyboard_id");
COMMENT ON COLUMN "scenes"."scene_type" IS 'HOOK: HOOK\nCONTENT: CONTENT\nCTA: CTA\nTRANSITION: TRANSITION';
CREATE TABLE IF NOT EXISTS "assets" (
    "id" UUID NOT NULL PRIMARY KEY,
    "kind" VARCHAR(9) CHECK ("kind" IN ('IMAGE', 'AUDIO', 'VIDEO', 'SUBTITLE', 'THUMBNAIL', 'OTHER')) NOT NULL,
    "status" VARCHAR(7) CHECK ("status" IN ('PENDING', 'READY')) NOT NULL,
    "file_name" VARCHAR(255) NOT NULL,
    "content_type" VARCHAR(255) NOT NULL,
    "size_bytes" BIGINT CHECK ("size_bytes" BETWEEN 1 AND 5368709120) NOT NULL,
    "duration_seconds" DOUBLE PRECISION CHECK ("duration_seconds" >= 0),
    "quality_score" DOUBLE PRECISION CHECK ("quality_score" BETWEEN 0 AND 1),
    "metadata" JSONB,
    "storage_key" VARCHAR(1024) NOT NULL UNIQUE,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "project_id" UUID NOT NULL REFERENCES "projects" ("id") ON DELETE CASCADE,
    "scene_id" UUID REFERENCES "scenes" ("id") ON DELETE CASCADE,
    "storyboard_id" UUID REFERENCES "storyboards" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_assets_project_4dcfb6" ON "assets" ("project_id");
CREATE INDEX IF NOT EXISTS "idx_assets_scene_i_19aa06" ON "assets" ("scene_id");
CREATE INDEX IF NOT EXISTS "idx_assets_storybo_f2d5f3" ON "assets" ("storyboard_id");
CREATE INDEX IF NOT EXISTS "idx_assets_status_be8129" ON "assets" ("status", "created_at");
CREATE INDEX IF NOT EXISTS "idx_assets_project_3d48b5" ON "assets" ("project_id", "created_at");
COMMENT ON COLUMN "assets"."kind" IS 'IMAGE: IMAGE\nAUDIO: AUDIO\nVIDEO: VIDEO\nSUBTITLE: SUBTITLE\nTHUMBNAIL: THUMBNAIL\nOTHER: OTHER';
COMMENT ON COLUMN "assets"."status" IS 'PENDING: PENDING\nREADY: READY';
CREATE TABLE IF NOT EXISTS "scene_tasks" (
    "id" UUID NOT NULL PRIMARY KEY,
    "task_type" VARCHAR(14) CHECK ("task_type" IN ('SCRIPT_WRITTEN', 'SCENE_FILMED', 'AUDIO_RECORDED', 'EDITED')) NOT NULL,
    "completed" BOOL NOT NULL,
    "completed_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "scene_id" UUID NOT NULL REFERENCES "scenes" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_scene_tasks_scene_i_1cb541" UNIQUE ("scene_id", "task_type")
);
CREATE INDEX IF NOT EXISTS "idx_scene_tasks_scene_i_2b8be0" ON "scene_tasks" ("scene_id");
COMMENT ON COLUMN "scene_tasks"."task_type" IS 'SCRIPT_WRITTEN: SCRIPT_WRITTEN\nSCENE_FILMED: SCENE_FILMED\nAUDIO_RECORDED: AUDIO_RECORDED\nEDITED: EDITED';
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXW132jgW/is6fGl6TiYnkJC07O6cQ8BpaBPoEmc6O8McHwEi8cTI1BZJ2W7/+0ry+2"
    "tshxeb6gs2sq4sP1eWdZ97JX2vzfUp0syj9kL9hFa1Fvhew3CO6EnoyiGowcXCS2cJBI41"
    "nhUuVOURrXgiHJvEgBNC02dQMxFNmiJzYqgLouqY5W6DBTQIRgaYGGiKMFGh9g+gY20FIL"
    "i9av/SaJ4BfQbIAwImonkIUE1gEp3mBgcqAQ/QBCzPWCUmy0iLMPTF6u0Ru/9Un9AKqPh+"
    "87daYvXrEilEv0e0AIPe8M+/aLKKp+gbMp2/i0dlpiJtGgBXnbICeLpCVguednfX617ynO"
    "wxxspE15Zz7OVerMiDjt3sy6U6PWIy7No9og8JCZr6YMdLTbM15CRZNaYJxFgit6pTL2GK"
    "ZnCpMeXV/jlb4gnTGeB3Yj+nv9pV82VTlP5AVm4lWVFqEV2zKoR0YidNdMzaiYoJA+r7D6"
    "tcDxCeWmM36Fy1hwcnZ285BLpJ7g1+kcNV+8EFIYGWKAfdQ5kfIzh3HqARj7OTP4Q0rWgR"
    "jJ0ED2TvhXDgcwDaAKS1OfymaAjfkwf6t3F8nILxb+0hh5nm4jjr9A22Xu2+falhXWN4e/"
    "guDDRTv+VB2JPYQ4zrZxkgrp8lIswuBQGmnapCu6CHPBD7ZdYD8sudxdYgPjvNAPHZaSLE"
    "7FIQYnOiszIiAH+8HfTjAfYkQvBO1QkB/wOaapJNtWVfrzxeqhpRsXnE7reLjpkhxEqem+"
    "ZXzQ/zwU3797AGOteDi3APzgq4CKmDfoMZZAokUZV06RWizlG8WoKSYdXYokfOSRU7G/qA"
    "0wEdu9hvYIpq5N6NdCu3bz4H9NNtyxK70uCpq1DqQbhjcgsBX3ryFWB/wR+DvhRWo5tP/q"
    "PG6gSXRFew/qzAqa+zcFId1AJa16BJlKVZSO9h2TVo3q5yWRRfEUU7mKRq2kBP+mMhPQcl"
    "hZbLrGX6OhpKPhvHJ7JOQyeq1G0OXoqbNcxynD3GWjUMqSiyl9RmVe8xtdU5vj1aD4gnce"
    "aMbdjf2cVUElEv1bu/AZ9dS9vfnOij0wdGxBo3t2877a5U4wCP4eTxGRpTJYA0u6I39FCK"
    "mzd6ad6Yh1MghvccG/YUrM4Om2KaiNTiaBZ+4TCVZWFZsnEsyXC+zFl8r3nPQi0GSJb8nr"
    "7hFRNA36gpZ5r0du5D209k38hpbTWemVaX/+G9hK/8haH/jSbE1tSa7iFYl52yLo/0+aI4"
    "S3g5TzBY7fxlZgRqvZv2B6kF+GGE23fd3qAF+GGEf+t1JfqPH0b49u5C7snXNLNzNsLy1d"
    "3NRb/du24B93SEB/KVNGwBfghTl1mM4fcZbOH3b0HnSup8AgcjDvSoBnp9cPCGP8ibQ/CG"
    "PwM74dVnJ0612blbW/aHV/TN20Tj+n3EtnZ7j6xtwZPYXmuofZb63V7/Q863zBFrAftkhI"
    "dSu/ufFuCHIgo9z6DQc59CLbQcldrVYJriNUjR1HlYUzNVQ0peujQgVOa3tyhn2mxm4Uyb"
    "zWTOlF0LERw6JggTC6gcYIflBN7Z8DbV/yJlvCJxHF/nAU2oSXmh3vcwSeiQAuIh0Nnws4"
    "Kg37NK/PK+0Tg5OW8cn5y9a56enzffHb+jeXmNo5fSeqaL3odeX/b1Si5ktGe6kOQvktQH"
    "ddDud0GTlnh+/L7eCLsZaAEhvU2XFFL6ZIqJaP2nydq71HSYoLy4MkIqnDHpvSILuoO7i2"
    "sJfB5Knd5tb9D3FBOGg6rn138BSxUef8DFWRJNUC2jiX5OrjMUE1Tg1yWk8ivFnFDLtIj2"
    "IgX8xKoLYOF7rY75a1XPq8IXiwuqco4IZMP9PF4Sv8yr/CTVUd9GHCIsGAHeIxZfkWe4EB"
    "LbO0dg/biRxRXIsiX7W/lF4X8S/qflYlpQ60FJofWyaD3GTWHX3h++4icfs9KCQSnhqwiH"
    "U9CHzomoX+YVeL48UKggnPQzvhrrzO+QE9OwoAA2zadmv9RrcKt99kqq5Pv/omct2P/FO9"
    "fim/Aa0L0NFFbFdvsivpE3NwPErANdB7pOOfsJrO8zUyaf8Ed9XIvxCLPkwzR/8N/6eGfe"
    "YMdnZyyxAmeEiq7RKezdRkPQRAotVqXlCtezcD0Xcj2nxEpXwPVcmCDJEvBfTwn4r0cD/i"
    "vi0P33nXQndXM2XVuqBazjCA/v+n3u37VPmGu/05GkLsvkno7wZbt3zZKs4wh32v2OdM2T"
    "3NNaAQ3mde8HvcHWU3BnsFV9y7Vv15r9serLztxq5nTu3+fyYLoChVpCyWjgrcyu0VnXl+"
    "z5SnRa+iW357I83hTUlr+yUT89P313cnbquindlDTvZMA16QATdXlE4Z/TfLEtXKbf+ySf"
    "hyuyD208jeqTfpfTXR0u03c96H9wsof9H0HEkWHoMZGtyXi7AgLt/GhDQtB8QQp0L35J0b"
    "34uhcHmASPOPtkFEc9LL095E/Kj7wfHAv9iBPbRF/zg24LiVbuj+9BXxMa+AKuNB3GWGDJ"
    "YQI+ERElUDxKgF5i9c8BvCchcH8F7i7/FYH+hdlsfsE9dBtX100cMzuVs5AvxSEmfkMi4u"
    "Jr4vuaBNBJ+K5EaOCcL1ucvJhAWuZXToRhJb971QzIyRKGZRJoFNN6UFK822V+t2cqVs2H"
    "QmoOiQo9l1nPIqhy3/pwEVQpogArD6yIAhRRgOXHN2MUYHLEms+t9oRwnMPhwpa7/DREGp"
    "/Rl4z4R30ssWIq+K1NQvzHhmP6LLziA/tcLFOj+xRPc+uN8fuTl261K+bh+CsU9Cei2HYa"
    "xVYNT9Umh8cbcFZF/YGViGXLj7KIYxNxbCKObe87NhHKtqYP9YaCq/JyXnvLdVWX24pSmt"
    "6wOesY2JMQpFYq9/K3Nd3plcyAPWmqkni+yAl4balM09ccqivG0vWxYMmGrs0kbXkqm/6M"
    "3QVi7XH9GueW+Uv3OTPEzLLK2uREJVouK8EVKLOtWNBMaGYyE5opZkIzOkj11yzHQDUkJg"
    "ar+Qer1WBCau2O3PtNytlt1LrD9qXcAvwwwlYZLWAdR7gzuPl8Lcmc43BOaS4KKb1ME52z"
    "7fMevMJ8gV5eVU5vODXkyXbN8lAdIqoqWXXV9MiLxa1+Rq1nicPwD0GzDg79MsJcTTVXOV"
    "RrMFj3excOf4Mq7sD2Nr4o7sB299eoWA+V6L0O0VKv9+/vKzheJMUrMcoVdVIZqDZJDVnr"
    "ScUQQ+5CU8m0EF+taSOxD5HQGmthKGrsjNk6RiIWoky8S0A3EbyToyFCYsJ7mLLEfn7HrF"
    "9SzGaTo2vjJ0xks5olhyqCeQrbEpDaIuPSGfRlqS/npVyuBoNPLcB+GcHCi2D0Cj+hKXKb"
    "/pPbIywP2/3bntwb9FvAOy9CtdSzrXXlJ1tcTB3ChdXXYll4Rfmp3OabILl1SyFb6hFlP6"
    "nmEmpKQV4zXnovyOSt85u8knnA9yQEn5wfb0JxVfQnZGgwZs+CZNTDcgL7/NhP6NGACsT3"
    "+dxVYbl9wH4LsW2CUU9Gv5rcqmDUf0atZ2HUSzELr5xE8Hq59d3NFSsnutucLLZNrr1kw4"
    "VMbDKB5uNreWRmesq0nAp277ujkTlgSVSyg+YLdLLiam/tnLJvbwF2E0vngksuFZfsKSYC"
    "djL5FhAqM/1Su+0Me59l5cuwJ8tSvwWC/0f4tiP1JeWyd33DJ375/tkbmitDqTMY8mlhwf"
    "8jLHV7PEjKOhai6DJt13fqo+hc5B2GLvhAfB6Y7yHczczdarMUq8JpvF10C0B9vmDfzph3"
    "8kLXNQRxgkXnlwu1lDEV3FRTcVO2+yJeDAbXgZH7RS/MT9zdXEhUqRx7byvSqCPCRa6IHR"
    "2SFWsClceEilrOgi9J7i6raTkLvuRn1HomvmR3W0GW045fM0uy5U3fyolpZXd9Y7wUmg7G"
    "bO5bl1XKev6ofRuX7zDV1OUSis5FrAfms80OM5i9tTYGliAgOjDQXH9CYGboc2BvKA502p"
    "gANXyBoT+b9AQSmm2GDETTp0AlABoI3OsYgQNIy1qSsf7t7VHYYtjUfUZ4hL8YKiEIAxVz"
    "efrA2ISW6cqLsZqAyS9yuovf4hCYOoBgYkDzAegGPXVrsmQLPgC+WvcIMyk65pzTGui022"
    "alwZVVGH8MqLX4n2fdeEQGTaOPTG+GnpCxYjcCS0xUjT2AuZxMEJqaHJyXpy8K8mC3gWhW"
    "a1AeUYxPO22xkIBYmQmEgn7V+nEjk2lPs6UEzzQiZrjYn2bb+9No0CRK7k2YglL7EDew7Z"
    "gNzOJebN0UsJFixLdjKJVkCF1yu0iQIPtvDieRIBHzbXe2hu0DT7AwPA95ul3hm0izvbU6"
    "xE7N+zecFutpbHo9jTG1O2d5BnKuwF4gvO1BnEtOKEtDizFa0nZiC0u+ake2YlM9vC5lvF"
    "Q1omLziN1vF73KRjZqIzqBmuJNKsxnUYalhVXpsyr94CRYllaW4vPNovJCAxENvDD3bMFM"
    "RAMrpr40Jrk+vVHJfbDyt/AJrsjCSu66Qjk7+9oHqS8N2zJfXNo7T1pVSRoOB8MW4IewP2"
    "BDk/wCKyp5NYwspsTrlGtyn6uIAlZ8WFaErAi2RrA1u2drRMjKPms9S8iK2Lxs42ErYo+t"
    "te6xJeb0VGf5rCpik8SY5J7wVMEP3U4mO/EFAWO8NM5Cgcn+mSXNsXnPjPCb7NRvguZQ1f"
    "KQN67AegiFl1HeGmVz0shCCNBciWY9vxZmyUzzWacv8QM0H/KRZCHBvfCihJbQaDazLKHR"
    "bCYvocGuhaJf4DwXG+nk3z8OciMrlKjznNubuQL7CPDpu0wIn75LgZhdFKvA7DdZICiin1"
    "HrSRRRjjAun9W9UFnU92vt7oX6yQodr1gTyGRd+vd+Ko7RWomgcoC0SQuzjQx18lCLsTHt"
    "K4dpVib08pTGzEyMG4i1MmNiBezuvryGz1pW/k22Kp+QYSYEZiQNE30iwtLJZumwlyoHwn"
    "b2PUS3nsnQqacYOjGb3NI7EoRjxmLJkXc+ke2H3O3GcbO24Lqdhrb/+D++jUPT"
)

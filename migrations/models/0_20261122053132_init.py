from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
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
    "eJztXW1zm7gW/isMX5rOZDN1mmTb7L07QxzSuk3srk22O7veYWRbjmkwuCCSenr7368k3s"
    "SrgdgOUH0xIOkI8RxJ6DznCH8Xl+YM6vaRtNI+wrV4LnwXDbCE+CSWcyiIYLUK00kCAhOd"
    "FgUrTb2Ha5oIJjaywBTh9DnQbYiTZtCeWtoKaaZBSkvCCljIgJYwteAMGkgD+m+CaehrAQ"
    "ij99Ivx6dngjkX0AIKNsRlkKDZgo1MXFo40JCwALZAykw0ZJOCuArLXK1fHpH7z8wpboBm"
    "3O3+Vo6hfXWgisw7iCuw8A3/+Rcna8YMfoO2f7m6V+ca1GcRcLUZqYCmq2i9omm3t73LK1"
    "qSPMZEnZq6szTC0qs1WphGUNxxtNkRkSF5dxA/JEBwxsBuOLruachPcluME5DlwKCpszBh"
    "BufA0YnyxP/MHWNKdCbQO5Gfk9+9pjHFVLU/UNSRrKiqmNA1aUJMJ17S1DRIP9EMRID6/s"
    "OtNwSEporkBt330vDg9dlLCoFpozuLZlK4xB9UECDgilLQQ5TpMYFzdwGsdJz98jGkcUOr"
    "YOwnhCCHA8KHzwdoB5CKS/BN1aFxhxb48vjVqxyM/5SGFGZciuJs4hHsDu2+l3Xs5hG8Q3"
    "xXFpxr38ogHEq0EOPOWQGIO2eZCJOsKMB4UlXxFLQoAzErsx2QN08We4P47KQAxGcnmRCT"
    "rCjE9tQkdSQA/jAa9NMBDiVi8M60KRL+J+iajXbVl5lZeeJoOtIM+4jc7zkmZoIQqXlp21"
    "91FuaDG+mvuAa614OL+AxOKriIqQO/gwlkKkBJlVziHKQtYbpaopJx1XiiR/5JEycb/ICz"
    "AV67eCMwRzVK70YeKdLNp4h+LiVFJjnHNHUdSz2IT0xBJcLnnvJeIJfC34O+HFdjUE75Wy"
    "RtAg4yVcN8VMGMmSz8VB+1iNZ1YCPVsSvpPS67Bc17Ta6L4huiaB+TXE1b8MG8r6TnqCTX"
    "cp21jIejpZazcRiRbRo6SaXuc/FS3awhluP8PtWqIUglkb3CNqt2Z2BbneLbw+0AxjTNnP"
    "EM+1uvmkYiGqaG97fAY2Bps90JPzp+YIjcdbM06kqXskgBnoDp/SOwZmoEaZJjHpuxlKBs"
    "Mmt5vIynAAPcUWzIU5A2e6B/MCdiCslCkg/zGJYv5qQYu5IN5Ga24rsYPgW2FQBy6D3vcR"
    "FytBxDBXOERYkc/IZtOdvGdw2e2nso735+dxNpYdxqekGnidTb6BDYUMXVarheMstv8S4r"
    "y/wCp8jrEMxK8Sn34OTOs5I7frcsbBd75dtIPBQidzo55E4nSe6EIzOKsGw4ywzDOJDYH8"
    "biH7fyrXxZsut6UueCexwbw9t+v9d/dy54J2NjdNvtyvIlKRScjo0rqXdNktzj2OhK/a58"
    "TZOC0zgLXUSDbwvo7+1Lofte7n4UDsYe1GNR6PWFgxfuU7w4FF54zSenQavJhdtechY088"
    "XLzN7wNqUv3JViUgOBSj2hZivzvTCpJpn6UoZbdwGn2OzpGSiLUQ0lY2CT1dGOht2rXUF9"
    "R1rwy3Hn5NeTN6/PTt7QhQFB3U/5NQf8Xl8Jh4gPDB4kF7LyWZb7witB6l8KKXPdEpdL7e"
    "EKft+n486ItKGP51mf8l9KPs8XGJ/Xg/47v3ic/IsiDi3LTLFisvEOBDja5dEGCMHlClWY"
    "XlhJPr0w04sPDJ5efv+vkJxR8CujOupx6f0h/7r+yLPguOh3EusV+LU86J4Q7+UM1hiTjA"
    "6+AmvdBCkWWLbjjBF5kuesOZP5TlxkOIu0vwTwoQTH/Qm4B/xXAvoNngtWsIWOyTZ5LlwW"
    "0ob4EWcVXtwJcf42Yd4mEXQy3isJGrjkYEuT587COg85HvKRPfbaG/JhI2BV03pUko/tOo"
    "/tuWZo9qKSmmOiXM911rOzmlWcw6OSfA6vsdq91ke8FoxbvajDOyrFg33irjbTWk9MEmlS"
    "DtaE4BOQ3TxTNgPYnCgqrxcmES4dSPUprKmRHXZjLFV0wKaHU6V34S2gO4pU1sR+uxHfxM"
    "gtG7HGuNUeoJHmcLjw5K4+DqEO6INkIv7BnMikmga+a7MQ/7HjmD4Xr/TAvgDL3Og+NdTc"
    "dmP8/qG1u/2KeDj+5VsU6xTF1gxP1S6XxztwViX9gY2IZSuPMo9j43FsPI6t9RMbD2Xb0o"
    "t6R8FVZTmv1nJdzeW2kpRmuGwuugYOJTiplcu9fHG3Oz2RGfA2TTUSz42cQNiX6rR9zae6"
    "UixdhgXLNnQ9JmnPW9nMRyPYDOit67e4t4ytnXFm8J1ljbXJkYb0UlZCIFBnW7GimXBayE"
    "w4zTETTpOLVLZlJRaqMTG+WC2/WG0GEyJKXaX3p1xy2hAvh9KVci7Qw9hw6zgX3OPY6A5u"
    "Pl3LCuU4/FNcCkOKs3Gif7Z/3oM2mJAablMpveG3kCZ7LStDdfCoqmzVNdMjXySqisdhtE"
    "3rReIw2CVo0cUhK8PN1VxzlUK1BYO13V9cYTtUdQe2/6GTJ7mvGzg7ZXqu0wMrnohRqaCK"
    "xkC1S+ZjNMUgiSm8h5txmMd62KTITlz7icgReisVr+Un5DM93NVfJ1ohopsE3tnO/pgYd4"
    "4R51icUHAskM4mbPI7spJ8sxbjdPSBydin5XZLClUC8xwyISK1R0KhO+grcl8pyyi8Hww+"
    "ngvkl/AHtArCHtATnKJI+EqRxoYylPqjntIb9M+F8LwKk9Ap9iknlksIMPX5BNJel0SgDa"
    "WnikQOYdtyuIROQtkPmu0AXa1I26VLt4Ir3Tt9RxtZBvxQgtOl5fFGGFfVfICWDtZlUI/L"
    "cezLYz/FRwuowLgr542Jy7UB+z2EbnHCOBv9ZlKHnDD+GbVehDCuxSazevKc26WOn28rVD"
    "3R3edeKATs+6fypMS0UnA9DZy+no8mpYBlUaU+mhvoUjXQ3tY5U1q927nITVydc660Vlxp"
    "qJgE2NnkUkSozvSCOOoOe58U9fOwpyhy/1yIXo+NUVfuy+pV7/qG7tthrsaGdHvZG6hDuT"
    "sY0l090euxIV/2aIyLe6xEQRX5k63OCUNBBcj7DFT0geg2HuYhaExLpNkkxW1wHi+V+POu"
    "qblckXdDypi8ME0dAiPDYmHlYj1lggV31VWClP0OxIvB4DqyMr3oxe3v25sLGSuVYo8Lae"
    "77Nkm0B8hVsRNjsvyTLvUxEZKWIecDsqfLZlqGnA/4GbVeiA9g1sSFqQBGhrMA+SyAHyPy"
    "VALAr6eRmG62/ZkeVaddTwzvkmbVRliZHLM2Gry1v+1P/M+vWmgf8y1KO96iNLE0OE8inO"
    "3yDQRagfC+nb0WnEML4ref6lh6qb/jTkryv+XOV0+Fb98jEwFdDQNZy8XYxaV5nB0TZ8eC"
    "kxFr5xapHuOYlOcaSGhgQ7zjivzljGWotulY01Kv3qRk+yJSdvIKbshe1WCrZsnJXnwn9+"
    "WhpNDvdYXnWRtV5eFwMDwX6KESq18+sDSySTVsYWJ/Km1TqYDSQBEViKa4LKeR68MscRq5"
    "/YQip5F/Rq0XoZH59+B3TiXzz5Zv9bPlddqSXM9FyIYdyRmMQOkguwZO5M8SYEe/IZDihf"
    "C/LZDtf3Bwid17Hrhf4Fn9AnAJNL0MOREIbMdg3ozy3iiJ18dFDF5cKtNspXlxFsi2H008"
    "iBfAXpQjgWKCrfASxLYlnZ4W2ZZ0epq9LYnkRRGnxxJA++Xbx7HtZNeXtiz5RfRAoI0An7"
    "wphPDJmxyISSbfWdduY5hTID+j1rMokIS5XsSqBCtNvYfrJ9pO0krDFn8Du0Ah65L9XHR1"
    "jLZKdNQDpF1amBK0tOlCTLExvZzDPCsThGVqY2Zm+sVTrcwUX7g33dfX8NnK15SyrcoHaN"
    "kZgQdZy0RGhFs6xSwdMqhKIOwVbyG6nUKGTifH0En5Xxx8R+T9EV/RyDJGZP8hZc/jmNha"
    "8FiJNdH2X2Y//g8fBIUU"
)

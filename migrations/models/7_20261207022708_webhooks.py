from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "webhooks" (
    "id" UUID NOT NULL PRIMARY KEY,
    "url" VARCHAR(2048) NOT NULL,
    "events" JSONB NOT NULL,
    "secret" VARCHAR(80) NOT NULL,
    "active" BOOL NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "lease_until" TIMESTAMPTZ,
    "owner_id" UUID NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    "project_id" UUID REFERENCES "projects" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_webhooks_owner_i_e450eb" ON "webhooks" ("owner_id");
CREATE INDEX IF NOT EXISTS "idx_webhooks_project_423344" ON "webhooks" ("project_id");
        CREATE TABLE IF NOT EXISTS "webhook_cursors" (
    "id" UUID NOT NULL PRIMARY KEY,
    "seq" INT CHECK ("seq" >= 0) NOT NULL,
    "project_id" UUID NOT NULL REFERENCES "projects" ("id") ON DELETE CASCADE,
    "webhook_id" UUID NOT NULL REFERENCES "webhooks" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_webhook_cur_webhook_229b6e" UNIQUE ("webhook_id", "project_id")
);
CREATE INDEX IF NOT EXISTS "idx_webhook_cur_project_9a0563" ON "webhook_cursors" ("project_id");
COMMENT ON TABLE "webhook_cursors" IS 'The seq of the newest event of `project` this webhook has taken into a delivery.';
        CREATE TABLE IF NOT EXISTS "webhook_deliveries" (
    "id" UUID NOT NULL PRIMARY KEY,
    "event_id" UUID,
    "project_id" UUID,
    "action" VARCHAR(64) NOT NULL,
    "seq" INT CHECK ("seq" >= 0) NOT NULL,
    "status" VARCHAR(9) CHECK ("status" IN ('PENDING', 'DELIVERED', 'FAILED')) NOT NULL,
    "attempts" INT CHECK ("attempts" >= 0) NOT NULL,
    "response_status" INT,
    "delivered_at" TIMESTAMPTZ,
    "next_attempt_at" TIMESTAMPTZ,
    "first_attempt_at" TIMESTAMPTZ,
    "error" VARCHAR(500),
    "created_at" TIMESTAMPTZ NOT NULL,
    "webhook_id" UUID NOT NULL REFERENCES "webhooks" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_webhook_del_webhook_b55bd8" ON "webhook_deliveries" ("webhook_id", "created_at");
CREATE INDEX IF NOT EXISTS "idx_webhook_del_status_d0f04a" ON "webhook_deliveries" ("status", "next_attempt_at");
COMMENT ON COLUMN "webhook_deliveries"."status" IS 'PENDING: PENDING\nDELIVERED: DELIVERED\nFAILED: FAILED';
COMMENT ON TABLE "webhook_deliveries" IS 'One event (or a ping) sent to one webhook, with its attempts so far.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "webhook_cursors";
        DROP TABLE IF EXISTS "webhook_deliveries";
        DROP TABLE IF EXISTS "webhooks";"""


MODELS_STATE = (
    "eJztXWtzo7ia/isqf5l0VaYr96R9dk+Vk9Ddnk7bWceZPhefomVbjpnYwg046ezs/PeVxB"
    "0ERhgcIPqSYOAV4pGQ3vv7Z2upT9HCfN+ZWNqTZr0oTwhbrTb4s4XhEpED/g37oAVXK/8y"
    "PWHB8YJRQOdWFdF72TU4Ni2DnCeXZ3BhInJqisyJoa0sTcfkLF4vFvSkPiE3avjBP7XG2o"
    "81Ui39AVlzZJAL//53a2Xof6CJpWpT2rqJfrT+8x9yoOEp+olMes+frZmGFlN23IJWi15G"
    "P1cGMk3yRHaannLe0nmW9bJib9BiN5Mesx9/0RtXjyprMISN/Xh2XnVp7++71x/ZnfR9xu"
    "pEX6yX2L979WLNdezdvl5r0/eUhl57QBgZ0ELTAE60aw6y7ikbEnLCMtbIe+2pf2KKZnC9"
    "oGi3/mu2xhMKMmBPon9O/u50LXCbqvb6Q/VOGapqS2BwJgRKApNGh5kA85fdrg8IO9uiD7"
    "j63BnsHZ+9YxDopvVgsIsMrtZfjBBaUPUHzUeZDm8M5qs5mjyiaRdbfLAdogjamj13RXF2"
    "T/hA+7PYhdAFqQRYSX/Jv1+PDk/OTy6Oz04uyC2so96Z8xTku70huPqsXH0BeyMKy6gF/v"
    "7f4PAdQ91HGVpxkK8JRpa2RHyIbYoIwlOH5L17UEO8U8Acdr8qd8PO11va/NI0fywYTp2h"
    "Qq8csbMvkbN79qzXyQJoL5BeI+Bbd/gZ0J/gX/2eEv02vPuG/2rRPsG1patYf1bhNIiJe9"
    "o9FR5W9vHzvh9oJAyrRxEZWgJRDQeztYQ/1QXCD9ac/Dw7SRnc3zsDtkydnUQGrOdcOWKX"
    "wt8N2eLoXsdAEkA5QtZAqI+PMkB9fJQINb3EhVps1w0RFbn5VneR2rjX+pBO5hA/IDMO6G"
    "93/R4f0ABJdO3XJhb4P7DQzCy7rMOr1ABPikVovXcn6d7Xzj+i8/fqpn8ZBZ42cBndbyeW"
    "bqiP5G3j4Ct4vUxcnANUVV41Wvd3yqAN6N8R7tx21S/KP9vAORjhb/3BF3rd/t/Ksb6k8T"
    "zu+Jy/81kfHzrCAXV7YO8X2rdf9sEvTqfood2dX94lrkrnMb6JNbs2kSG4MMUIt1ic6vMt"
    "CaxNNkBwpamPSHTV59FKfHn4/qGPc2Hr00lcw7iGlRNZUQ1TSUaFgEr1LrNHrk7AQSsO8E"
    "fdQNoD/oJeGMxd0hWIJzwe21Fs3fot1RNY/6z/QRnw2VNXRWYWQYC8N7Js+aRzd9W5VmwV"
    "1xhOHp+hMVVDmNMr+pEeOePdG7+0PFpGz0AMHxg+9EVot12l4kojA9XiqRvtK/upekZ7dc"
    "+mYGx1wAoaFhlgMDHQlEoFcPE3oOPFC4Dg7nPn16PTM6DPgDVHwETkHgtoJjDJUoemYE+z"
    "wByagN4z1iyT3kiaMPTVy7v3Ueal5EdxFKIR3afUV76qvpL9j+GcrApw768yN59TB3B0cJ"
    "CBSyd3JfLb7Fp0f0Uz7acIwj5FAzE+PMsA8WFUB+kjTC+FAaYsM1mC5iIQB2mKAXnzYlFj"
    "raE50VdiahefYiutS665HFiVx2ttYWnYfE+f9xoLcynKGLIHU8hUcSNImLKBxpAWecFpn/"
    "AuzhdYE+OIs1ik2kYW0LSoAibPuEdpCxj5+gjDVRroTFYwAz3pj7nGOUwpR7nKo5xDCVuM"
    "+jXDmr1L5qUUjQtFqgB1y73TTC0R3ahqCUynSulZTBPxvbrYhf1ULQu9pRQnLv2ZTAGqwa"
    "GNG/oC2SvHlEJIRzndp4tMNGvN+hVgwbbx8qIrSaD9sNasnGdQlc/LWKfjW+hjpALoVRVA"
    "oYmdFewQkVT/RwQ0d3nIqo5w78+liqgYi1a2LiK45HIgTvezjBDn8resGt7FuVsG0Bm1wK"
    "Uy/KYoPXAIOr1rcHhwwNNt6k/alMdppWk3fZrmzfeSVMg2ZKqBZnmgdumaB/dpJrhPU+A+"
    "5cK9XHFE7yHhWRKBdiiaAHGakK38Y5iuzvRk7Jt+75N7e1THGcbbQYf0Ul1BAy6FFM1cYu"
    "npl1+5LOrjVwvvvu7XzielDdi/Ee7cX3f7bcD+jfDv3WuF/GL/Rvju/nLYHd6Qm92jER5+"
    "vv962et0b9rAOxzh/vAzdQlk/1o51q4PGVauDwGPwKAvIHsR5gxI34EesO7TA7fb9NjrLf"
    "3BOpriK/ghZvXxZNasc8Gn2N1saN0qvetu75Og0OWStYFzMMIDpXP9zzZg//IMqKiLp42W"
    "O6RON+hIsR6IeHXOtAVSRQ35IaIqf715WbHT0yys2OlpMitGr0VMbzq2ELaEAyiidBLvbH"
    "ib2v8idfxi8azPjrB3qT0kx9WFyJsUXvfh6Oj4+Pzo4Pjs4vTk/Pz04sAT/OKX0lamy+6n"
    "cMydB1lMBjwlLZ4ffDg8irLTpIHIuE3XDlNmItL/afLofVzoMGHweG1EhnBGqRvF01337y"
    "9vFHA7UK66d91+zx+YKBx2ZORBmOu2yekpckKz1flkO7nJ0Ex4AH+s4YJGIpkT3eCudJtG"
    "L9bAGx66EBaBz+rAVq2IDuHG5sJDuUQWpNpfEbEqSCOlqfzSFLWZwAfEV68nswsRssa5qB"
    "0eHGVRDNPbkj0B2UXpGSU9o9arac5RD1PKUa/KqHMcaJzeh4KBqX1f2IkmSldqQFg9HGmC"
    "sIpH2O0otq5+UJLde2aQY0E8I2QS1JrFK9YPU3NCXloQ0SCNnKIxpj/kKJUZ0yihBLaGYb"
    "VVdPXMElXLn8IFoHsXaqyO83YjvrEvNwPEdAEtAl23nWYCG9hmNmPq8fYF4HoVbKuR2EYl"
    "oc34uqxpAfB+CTTVSHQjbPxmcIkcVQCuv9mtNBJSX9IMoUkeD3r3NzdpAQuBdVdfGxOkLj"
    "T8yDFLXTrUH78M0AIm5BYMxiPcseZqqBpKAj1sx0OG9oSmEq1EtIQiYXjaq8lc1yacFdXF"
    "to/RUCd/NiPs7VjdJXyob3Rf+oz0ltXicHO3oqbBlifuyvlAk6Kv/O93QwyWai+zWdPdYM"
    "CoAMQ6DbkCz9AESzhFYGboy30ALfBdN6YahovvQMMsFw3zVmdH69VCh1PwAJ8Q/b3k5Lgp"
    "vn1ukJj96s4WZbdHQ6PCF5wNiPyIhozJSKjXjYRyRiwGdYawEpewST5GBcWUUGh48SSx3J"
    "SBbyTrVA/SyDC0qB7SW2gEEA0RSUV5qgISugHJW8psXmBzPafpRrkttC1uVox5PEZ1YK2i"
    "NBz6UqsUwO9rzjhsZEitlsxEevLRDiqyUKQ100J48sI8rlIj+cOk7OVk8HttWT6Z/bDc0N"
    "Vgz2IwJwdURsgagfauwyqjq5rALOeQNmIIok6oWSb8YcqE5wgx0tla5kWs4syvpx+o9P59"
    "i6OexftXugFK96rqiOLbFS2IKJSKsLPWlllIN/5NoGmRRrZEiHlMibj3VG1dL9oYrVHDpz"
    "REF25RjeCQpg3zkMqgElPZeGU0rQ7nCHiUv5jkWDcRBgaaIYMIeAiwxvaBjhEt3kFreNir"
    "UNyKmr+pER7hDjD0Z/e8/kzoIDPFWnOIAQT2Jk2v+6q/tkMfeIR/cR9APAVwhGf2dgSIpA"
    "roVGc23cCN4FlfL6ZgjOhTXgirYpcymczRkpyAGOsWvejIAOBZs+akw9d0BScvzm62jce6"
    "bQ72Wgb2Km86Z+nXI2ueVIWx2U/R+lXJ0viqUbnF2BkrEInXFFhj7LiIBSeTH7S7i5fgBV"
    "3JQSjBCzrB7CuIbG7rZC1Q3WzyLc7e2J2i5Upn6uqEAm2RO1LZLM2/V6BgGxl3sCIswR5N"
    "qr5PeZF3bdt5jA0b8AEjXMOEPIOwJXNtMmeV1Z51wgxNKLNhIHKzSTgemxvhMGFlPYiyaN"
    "+ds6w20nda5i1WAU5fOekWGfdFWTkNr9bW38idjL1bTF2Wjt79TCYpOauZI2yg1QJOCH81"
    "fmGXMPppub1gPBdrjLxOsnddIF89z0wrmapXZaoEbUzNtSuVYkj1vjsRjENEDUS6+OziwQ"
    "VQBOkonQQ7Syr3cQ4VfohIFnOuswW0IiJZxU1fHItnhStH1eSjSTF7Va50VCVU3/v1qB1F"
    "o1858p8TFJss9P2hj0twNE3zI/VzZXsZ1A1NNzSLscVlVXByn7lA0EQqaVYj7Zb2lJmGNX"
    "Mui11Jf9/KCKnc6gYpUmoNqhtUyf2xJjUD/udeuVeuBaeuQ9UG9v8RHtz3eqyEgHNAq0dc"
    "XSnKNb3JOxzhj53uDT1l/x/hq07vSrlhp7zDqJ4vywiKVpAIFxyw34LVG7C7b1ePcHpNf9"
    "j9pUdeN0XqRwT3M7F4yiDl7gIqD6LT4WCLT624CEoXjEAI5a/ky0uKolwtIMaIs8hd6jrZ"
    "9XEC4j5VBPAxISsLce9MEHVRviv7vnHZ79+EZLzLbtSP/v7rpUIWPTbJ/fTb8fz25FN6EA"
    "oc8QiaUCFqNzXP6LaeXDggZfHwKV9x8aheKLYLTDxjPC+MwTS5Mzw5ZidA0oQ5vutwHWQY"
    "OkfvkIy3RyDRzok2eQ0LaguhenMxQhmwkz9gJ2JqF9lPOaRN+A52sLNCyyLQ8bzMN+2sQU"
    "q5swZ2VheYhFo6dEzzox6l3h3yx9VHPgiOjX6s/I2JfoiD7hDJWR6sDIZ+JEzwFXyhGbJE"
    "9tEAidxB8++g5BLtvwDwPoXEfQvc11iFM66DbbqdPUTYwJDTJtnZbSPZpgqGiXtIjFzuJo"
    "HdJIROwr4Ss1IKfmw8+gK+ufqsfbX75CYLSMZgqo7F8pWEqJonBxbvelcvR7HdQl/PpAlZ"
    "UmWYFjTyjXqYUq6hVV5Dg143gsMcIZXjXOVxlolvmraGc4ZdJr6RBdvqBazMKCQLtlUf34"
    "wF22TSpu2TNqEnhLfF5zd9rNBmasiLZMKIuYdtj9GdlS3fUm0wKjlWxJ5T/IARb76lRo2o"
    "/uwuOkm5X+2MWiNltHulAgnqYVUuU8QqwbAct93XIpxAHGUZSiAWSiDdraW7dQ0XNulxXd"
    "BGXYoPsLjetLH60vrqR+NqcZ9tzsoD+xRSMZqqv9tlhepq4pm3RPXrp0WwVQN8UddTG6SL"
    "ur6SIls+PHY/TRwHASFv03x0C2igKdijqd5oyOE7oBv7YKYb9i0sD5y+tsgvenUfQJr6d6"
    "VT0zM/E17xj9ggintVXaU4XiVxXJZuLbN0K080l5XTZCYF0vat0rsmAr/gauGStYFzkF8D"
    "cvele3vL7rEPdq/9cF4hm/rD6aWg8kN6bTVebJFeW29jnKdrOyWruuSZ+7SHRE4lQpiLW6"
    "nYuDrMyoejo+Pj86OD47OL05Pz89OLA49riV9KY18uu59oqo7Q2MZzd8hI+11q2XLE2Mvo"
    "+kJi1KQibAPqUhH25hRhZHBmhj2IMUWYd20/TRH26NxVisuHSSvT+U4fa1rySqqaqqVq8s"
    "YlhnWa34dHIrVMHJZMlol/Nf6MSISkOxujnD8udJgwCvEWIgMxo7RlDUVZoc4p43Ddv7+8"
    "UcDtQLnq3nX7PV8xFIYiZva/ODtxlIC+TMraYuu9l25woHRuRNuUVeirwnbL0NrkbaOeYV"
    "myCv1bHPUswXhBfj1zzFiARorZqWI2g6oAQfvObaeWmG6OZQrMKBnG1MB66q5m4o2XUw/D"
    "kKLByVBM3VXjCNdSdwn9+udJVc/BHoyUPG8DEyEQrvn+jl9nvZzHyMrkFdjw9lOUS/60FI"
    "I7QiYLaYcdvWW594rUJX8MqNjDIyFYPDuoq6/jEGzk6SJftCxKXrei5G6GCg6bEkhekcyg"
    "OAkgdlyVjnAPXl0/x5+Q3l5QUbVg6wG1R4FP8H0gC2pf8kOvyg9ZmrUQcjP2CBphDAq7qZ"
    "5m8jM+TfEzPo2bCl7R9FZNMXVnlreaeHh3robd3xXBZaN1Peh8HLYB+zfCdhttYP8f4av+"
    "19sbZcjC1t1DcheBlFwmJ92jqGhcvjM36zB11La7yiLW3R6y007PRBy4pUUoeejqaRuQFq"
    "G3OOpZLEKES9eeNOtFzZUgJkr95otfBgFJSBIPjclceyKfy8zQlyK7aYywwkxMjfbTEKxl"
    "bqtBaTKrHBakkcbXVOMrg6oA4+u9iQpiTquoUgpOqC1sr84yt6X11Wml0ZkSd2mmriVAE9"
    "futyVInv2wqUD9oY+3z7jZVHD8/LhbYiSUS7iWUD2j8VzXH7fE6ZvdSmU4zlIwUidrw9S3"
    "XZkcqK5YW02aVWVGPtk+cBxrlOccl2yLYg5m5QQ8RdNw275sRGYbk1tk5FOljDGhsYnhnR"
    "z9FCGTEVC8CCgnul9cZxSklBUGA7ojF5gEvZE9LRlUMcxTTDAhqh2aYa76vaFiJzcQ0Rt9"
    "7ve/tAH9S7VErAmqI2IH5MywQ34NOyM8HHR6d91ht99rA/84j77oMFsypKAFxsPUVRfR/t"
    "o6ItZRdjjs0H9+31JURYexwX7SzDVcqDmNnXzqRliYd270ZJ0UAd+nqLB+trJ4WwRXVX9C"
    "xgJytEvJqEfpJPbi2E/IfwOqED+I+bBE6ZqA/Q5ymEszezL69TS4SjP7Wxz1TIGXVajYV0"
    "2TVcEhmK9WV66a6MrCctVRKodSMeWHaJtYkjrANIEmZ28UsuFQAb3x9kALmtsacRhQQ9JO"
    "kzAq3Srhz6wk80Ro7m2wU6hhA3i2UgVLRLXTdiEB1gqNuyXfDb/qQOrdGxO7ef2jv6WJo1"
    "ImjtDYCOAdpZNcJU/ZLhOlyEQp1U6UwnWkKgDYgpmnKoIbXQKrlPbV58uSOAyXadvEXHhM"
    "YpmpX+lD7Bkk2YNKsQf+wMTATjYZh4iqbDRs3V0NurdD9dugOxwqvTYI/x7huyulp6gfuz"
    "dfWcGVwK8R7txfd/vqQLnqD1jJlvDvEVauuyw+wf6fy7B8ksWwfBIwLHvIu3bl8AuxeiyB"
    "l2CBCKFu0zN2h9OszScxS4S+XNGVj/NNXur6AkGcwEUG6SIzZUwIy5oq3pndfoiX/f5NSN"
    "982Y1a1e6/XipkUBn2foLUuPuMh1we60+EVtZPqY7iP27vkVa+5OWynvYeaeV7i6Oeycon"
    "tQZSa/Dqgu026VVLFWotMlDT/pimibqmnbLfPy7f8u7bTxV1GYWqMxL7hVnipP0s6vQOBj"
    "YhsHRgoKX+hAANBQa0VVatl0wmQARfmrXSJAfQIrfNkEErZEyBZgFoIPBA81zuQdLW2hrr"
    "PzlZMkt6zgiP8DdDsyyachMzevLC2IS26MqasaeAyS4yIy17xD4wdQDBxIDmHLB6w15P1q"
    "xMMZxZyBhhSkV4ziXpgU6WbdoafLEbY68BF23241k3HpFBzpFXJg9DT8h4YZk+19jSFvQF"
    "zPVkgtDUlLk9q7La7qcoD5zZoD4ijidmsjdghKzKCoSc3oCHB0eZRHtyW4rL91FMDIfkI1"
    "6ueB4UG/NwBChlTEUwH4cDTEJMxQKalipcXzFM1QRv1117GmPqre2MTQ4ZiUO+G0GpIix0"
    "xeUiqQRpvjicpASJiW+vJ2s4npsJEobv15kuVwSSCuwura2TTNd1wPG/AUokU8PWkp2WqW"
    "HLTg07JnLnTISR8wgagfCumThPOaGuDbGC2XHKrQr45RqIwJIyXmsLS8Pme/q811hVSqnr"
    "Z+kWXKh+KgwxiTJKLaXKgFQZBCdBsrRvyZ8lIU4vRyA2AhsyJqyoiGhg1dTXBq+wVfLWG6"
    "dsgpS/gy24JjnCvVyegot965PSUwadYbf3qQ3846SEpspg0B+0AfsXtQdkUzQKp6YIJQf3"
    "exhLYMr6JJSSwhuIHFJ8lFa6rFRZW/OEDDPXphUgfPOZoB0sErYmqRBLHoNmKcSkV1CTRz"
    "2LV1BYmZdVzRamkp5BqZ5BK79C2Za+QYFaZ7XEdaN3UHheyWD/umdrriM2SUop4dD1Gm50"
    "mQAy0JNmui5sW2Dk2a8GToNNAmw39kMPuVQ7YhDfLPZENTTCpWcpdgUzGZ5XKZNgvQTtMr"
    "n/kuTuw7jD1xgtRDTBHkHzFMClJDXUDe1B48zoZAWwT1FlK2zr/k4ZtAH9O8KuXpUmH/aP"
    "R3hARMX+QGkD52A3Ol8bQFfnS3tIFbx+v+gvp0N5FL7k/VW2l4l8Njxa+QVl+oKedbJtT/"
    "Q15oizm/aFMK3cGsJbg49Oaor1nNhHiCX4YfAD8DTQZF6PMchkNTcxXJlznfMFJDv0BGl2"
    "78rzOtrKUpx2pF0oz1BU3CIQNwTJdMBC4yvTAdcnHXCZWjlWmpWjh3NLtiZr3tZm1vSa2/"
    "jwS3Xaq6rT0BJqQlKqR1CM5mEzyjuTTI+Pskim5K5EyZRdi/pTmiaToebQnIvgHCOssqYn"
    "ry7g9DSLLuD0NFkXQK9F4iSdNN9ZgXbvl6qWTKoWbUn2GRF8PYImAnxykQnhk4sUiOnFiD"
    "hph6qpvkYwh2qF28abdzGMwyK9Dd+I35n0NnyLo57kbSgQdB1w4FppNEfLti5cK+2Lneil"
    "ZlMgkx+ONkXLlW4hPHkpAKuu31qDMXMcDLfEqlA/zOqB5NSXL6awfJNAKlN95MLF0SAFkE"
    "xWIgUHTeqRmqtHWhtCWiTn9ibqNEqSCdETwrwNItnA6FNI8+IW5kUTEYGO69uQmM3Po2jg"
    "/L7IolO6SFYpXcQkbZp184mjUkpNo+8T7TCHvrty1zeFvlRqNEy8zaLUIF+RiVSWUVZ02C"
    "OkMga9OlqM+Djrz1i4qF2QRvpF/MWTyl8rCHXzl1IPSFNcTdjsi4Mr7GXiOjPUcpZu9C8J"
    "fqObS9q9RlxvJafqzsJ6J2vD1I1i9FJXrK0a8k+ZVHjkTQnXTlPdFwLWtd1co9TCO1DmOX"
    "MsWaXnT8KNij01MPk3140YzhEw0Q9aVZlWP8DoGZkWYIoKeu6780V+J1c1EziPAHNoAgs+"
    "smINFi2/4Eyjl3jBiDIewA0XdV/f2eX9lUSGi1ZKL0kmA091s8l34gcH7TcfCkFgScoaKN"
    "O1FC59hFeYrJhG1qVSMa2KoJ5f/nj2TVhb8srNMytGueXwzKqmHFLNhaBkQWQHHKPHaCfz"
    "jEFefDPXGBYENjOOfYwcLm6PVd1aEdjfEU4Ps8pgtL6X0/I+eNasOdAsE7h1bGjJrhk04s"
    "xiUY0KFioIf0gFFSqgX17gGX6G2Gjdl20eInnZ143VoHNVkB8I0pSqi6wJM1AhrrWRmNol"
    "FHkiV5K13KdooLX8LEvRu7PkkndnsYJ3UqDdhUBbk5zst0rvutv7JLiNuWRt4ByM8LVy0/"
    "1dGdBc7N7hCH/sdG/oKft/lH/KMv8/ZJj+HxJzsTvdo8l4vF7RH3Z/UhLzfJBlIkv/eDaU"
    "iSRbxIo8G6lJn1Ii4hzKXMBXbH/dGvoIwI4IlcubJ0or/Tqq7NdRycqfcrxLG++ZZpjbDD"
    "iPXo54lUc8oZxyShaGJlVS3kGNJen4+ia+I2kzkzazKhl2stjMXsew00GGNpm3OPYc58p+"
    "mhkH+vdUJqYvUZ7kftYcEdIZwO3sDJUXIHNlVk9iQ5JzqjdBeVtKeiL6UQkg7NzeQHQPM/"
    "F5hyl83iGHz9OxhXiZiJPDJAMkMk5SME5SIIlG8ZvZX/8P4XsS4Q=="
)

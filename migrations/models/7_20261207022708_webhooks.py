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
    "bQ72Wgb2Km86Z+nXI2ueVIWx2U/R+lUgdKxa0bnF2BurZMCtKZwxdlzEgpPJD9rdxUvwgq"
    "7kIJTgBZ1g9hVENrd1shaobjb5Fmdv7E7RcqUzdXVCgbbIHalslubfK1CwjYw7WBGWYI8m"
    "Vd+nvMi7tu08xoYN+IARrmFCnkHYkrk2mbPKas86YYYmlNkwELnZJByPzY1wmLCyHkRZtO"
    "/OWVYb6Tst8xarAKevnHSLjPuirJyGV2vrb+ROxt4tpi5LR+9+JpOUnNXMETbQagEnhL8a"
    "v7BLGP203F4wnos1Rl4n2bsukK+eZ6aVTNWrMlWCNqbm2pVKMaR6350IxiGiBiJdfHbx4A"
    "IognSUToKdJZX7OIcKP0QkiznX2QJaEZGs4qYvjsWzwpWjavLRpJi9Klc6qhKq7/161I6i"
    "0a8c+c8Jik0W+v7QxyU4mqb5kfq5sr0M6oamG5rF2OKyKji5z1wgaCKVNKuRdmUtKumOWx"
    "EZklt8IEWIrEHxgSp5J9Ykpf//3Cv3yrXg1HWo2sD+P8KD+16PZfh3Dmhxh6srRbmmN3mH"
    "I/yx072hp+z/I3zV6V0pN+yUdxhVw2UZQdECD+F6APZbsHIAdvft4g5Or+kPu7/0yOumSH"
    "mH4HYjFu4YpNxdvONBdDocbPGpFRfg6IIRiHD8lXx5SUGOqwXEGHEWuUtdJ5syTkDcp4oA"
    "PiZkZSHunQmiLsoWZd83Lvv9m5AIdtmNurnff71UyKLHJrmfHTuefp58Sg9CcR0eQRMKOO"
    "2mJBnd1pPz+qcsHj7lKy4e1YuUdoGJJ3TnRRmYJneGJ4fUBEiaMMd3HU2DDEPnqAWS8fYI"
    "JNo50SavYUFtIVQOLkYo42nyx9NELOEi+ymHtAnfwQ52VmhZBDqeE/imnTVIKXfWwM7qAp"
    "NQ6oaOaX7Uo9S7Q/64+sgHwbHRj1WnMdEPcdAdIjnLg4W70I+ECb6CLzSBlcg+GiCRO2j+"
    "HZRcov0XAN6nkLhvgfsaq3DG9X9NN4OHCBsYEdokM7htw9pUYDBxD4mRy90ksJuE0EnYV2"
    "JGRMGPjUdfwDdXn7Wvdp/cZAHJGEzVsVg6kRBV8+TA4j3j6uXHtVvo65nTIEsmC9OCRr5R"
    "D1PKNbTKa+hMw5o5zzXMEVI5zlUeZ5mXpmlrOGfYZV4aWU+tXsDKhD+ynlr18c1YT03mVN"
    "o+pxJ6QnhbfH7Txwptpoa8SCaMmHvY9hjdWdnSIdUGo5JDOew5xY/n8OZbalCH6s/uonOI"
    "+8XIqDVSBqNXKpCgHlblMkWsEgzLcdt9LcIJxFGWoQRioQTS3Vq6W9dwYZMe1wVt1KX4AI"
    "vrTRurL62vfjSuFvfZ5qw8sE8hFaOp+rtdFpCuJp55K0i/ftYCWzXAF3U9tUG6qOsrKbKl"
    "q2P307xuEBDyNk0Xt4AGmoI9momNhhy+A7qxD2a6Yd/C0rTpa4v8olf3AaSZeVc6NT3zE9"
    "UV/4gNorhXdFWK41USx2Vl1TIrq/JEc1nYTGZSIG3fKr1rIvALrhYuWRs4B/k1IHdfure3"
    "7B77YPfaD+cVsqk/nF4KKj+k11bjxRbptfU2xnm6tjOmqkueuU97SORUIoS5uJWKjavDrH"
    "w4Ojo+Pj86OD67OD05Pz+9OPC4lvilNPblsvuJpuoIjW08d4eMtN+lli1HjL2Mri8kRk0q"
    "wjagLhVhb04RRgZnZtiDGFOEedf20xRhj85dpbh8mLRwnO/0saYVqaSqqVqqJm9cYlin+X"
    "14JFLLxGHJZBX3V+PPiERIurMxyvnjQocJoxBvITIQM0pb1lCUFeqcMg7X/fvLGwXcDpSr"
    "7l233/MVQ2EoYmb/i7MTRwnoy6SsLbbee+kGB0rnRrRNWSS+Kmy3DK1N3jbqGZYli8S/xV"
    "HPEowX5Nczx4wFaKSYnSpmM6gKELTv3HZqienmWKbAjJJhTA0sd+5qJt54tfMwDCkanAy1"
    "zl01jnCpc5fQL0+eVJQc7MFIRfI2MBEC4ZLs7/hl0Mt5jCwcXoENbz9FueRPSyG4I2Syzn"
    "XY0VuWDa9I2fDHgIo9PBKCta2Duvo6DsFGni7yRcua4XWrGe5mqOCwKYHkFckMipMAYsdF"
    "4wj34JXdc/wJ6e0FFVULth5Qe2zzBMmvvCq/YmnWQsgN2CNohLEm7EZ6mskP+DTFD/g0rs"
    "p/RdNYNcXInVnGauKB3bkadn9XBJeN1vWg83HYBuzfCNtttIH9f4Sv+l9vb5QhCyt3D8ld"
    "BFJymZx0j6Kia/nO1qzD1JHa7iqLKHd7yE47PRNxsJYWm+Shq6fuXlps3uKoZ7HYEC5ae9"
    "KsFzVXApcotczoHqyCEwAnIaE7NCZz7Yl8OjNDX4rsrDHCCjM0NdpbQ7CWucUGJb+sMlmQ"
    "RhpKUw2lDKoCDKX3JiqIUa2i+ic4obawkzrL3JaWUqeVRmc13KVJuZYATVwb3ZYgeba+pg"
    "L1hz7ePjtmU8Hxc9luiZFQ3t9aQvWMxnNdf9wSp292K5XhOEvBSJ2sDVPfdmVyoLpibTVp"
    "VpUZpWT7q3EsR54jW7LdiDmDlROcFE2ZbfudEZltTG6RUUqVMsyExiaGd3KkUoRMRivxop"
    "WcSHxx/VGQUuqOArojF5gEvZE9LRlUMcxTzDEhqh2aZK76vaFiJyIQ0Rt97ve/tAH9S7VE"
    "rAmqI2IH5MywQ34NOyM8HHR6d91ht99rA/84j77oMFvioqA1xsPUVRfR/to6ItZRdjjs0H"
    "9+31JURYexwX7SzDVcqDkNn3zqRlibd24AZZ0UAd+nqLB+trJ4WwRXVX9CxgJytEvJqEfp"
    "JPbi2E/IfwOqED+I+bNE6ZqA/Q7yjUuTezL69TS+SpP7Wxz1TEGSVaiuV02TVcHhkq9WA6"
    "6a6MoicNVRKofSJuWHaJu4jzrANIEmZ28UsuFQAb3x9kALmtsacRhQQ9JOkzAq3Srhz6wk"
    "80Ro7m2wU6hhA3i2sgJLRLXTdtJ/1gqNkSXfDb9CQOrdG5Owef2jv6WJo1ImjtDYCOAdpZ"
    "NcJU/ZLpOayKQm1U5qwnWkKgDYgpmnKoIbXQKrlKLV58uSOAyXadvEXHhMYplpWulD7Bkk"
    "2YNKsQf+wMTATjYZh4iqbDRs3V0NurdD9dugOxwqvTYI/x7huyulp6gfuzdfWXGUwK8R7t"
    "xfd/vqQLnqD1h5lfDvEVauuyw+wf6fy7B8ksWwfBIwLHvIu3bl8Aux2imBl2CBCKFu0zN2"
    "h9OszScxS4S+XNGVj/NNXur6AkGcwEUG6SIzZUwIy5oq3pndfoiX/f5NSN982Y1a1e6/Xi"
    "pkUBn2fjLTuPuMh1we60+EVtY6qY7iP27vkVa+5OWynvYeaeV7i6OeycontQZSa/Dqgu02"
    "qVBLFWotMlDT/pimdLqmnbLfPy7f8u7bTxV1GYWqMxL7hVkSpf0s6vQOBjYhsHRgoKX+hA"
    "ANBQa0VVZZl0wmQARfmmHSJAfQIrfNkEGrWUyBZgFoIPBAc1LuQdLW2hrrPzkZLUt6zgiP"
    "8DdDsyyaHhMzevLC2IS26MqasaeAyS4yIy17xD4wdQDBxIDmHLDawF5P1qykMJxZyBhhSk"
    "V4ziXpgU6WbdoafLEbY68BF23241k3HpFBzpFXJg9DT8h4YVk519jSFvQFzPVkgtDUlHk4"
    "q7La7qcoD5zZoD4ijidmsjdghKzKCoSc3oCHB0eZRHtyW4rL91FMDIfkI16ueB4UG3NyBC"
    "hlTEUwH4cDTEJMxQKalipcCzFM1QRv1117GmPqre2MTQ4ZiUO+G0GpIix0xeUiqQRpvjic"
    "pASJiW+vJ2s4npsJEobv15kuVwSSCuwuBa2T+NZ1wPG/AUok08TWkp2WaWLLThM7JnLnTI"
    "SR8wgagfCumThPOaGuDbHi1nHKrYrt5RqIwJIyXmsLS8Pme/q811hVSqnBZ+kWXKh+Kgwx"
    "iTJKLaXKgFQZBCdBsrRvyZ8lIU4vRyA2AhsyJqyoiGhg1dTXBq8IVfLWG6dsgpS/gy24Jv"
    "nCvVyegot965PSUwadYbf3qQ3846SEpspg0B+0AfsXtQdkUzQKp6YIJQr3exhLYMr6JJSS"
    "whuIHFJ8lFa6rFRZW/OEDDPXphUgfMXd6qASO5SDRcLWJBViyWPQLIWY9Apq8qhn8QoKK/"
    "OyqtnCVNIzKNUzaOVXE9vSNyhQl6yWuG70DgrPKxnsX/dszXXEJkkpJRy6XsONLhNABnrS"
    "TNeFbQuMPPvVwGmwSYDtxn7oIZdqRwzim8WeqIZGuPQsxa5gJsPzKmUSrJegXSb3X5LcfR"
    "h3+BqjhYgm2CNongK4lKSGuqE9aJwZnawA9imqbIVt3d8pgzagf0fY1avS5MP+8QgPiKjY"
    "Hyht4BzsRudrA+jqfGkPqYLX7xf95XQoj8KXvL/K9jKRz4ZHK7+gTF/Qs0627Ym+xhxxdt"
    "O+EKaVW0N4a/DRSU2xnhP7CLEEPwx+AJ4GmszrMQaZrOYmhitzrnO+gGSHniDN7l15Xkdb"
    "WYrTjrQL5RmKilsE4oYgmQ5YaHxlOuD6pAMuUyvHSrNy9HBuydZkzdvazJpecxsffqlOe1"
    "V1GlpCTUhK9QiK0TxsRnlnkunxURbJlNyVKJmya1F/StNkMtQcmnMRnGOEVdb05NUFnJ5m"
    "0QWcnibrAui1SJykk+Y7K9Du/VLVkknVoi3JPiOCr0fQRIBPLjIhfHKRAjG9GBEn7VA11d"
    "cI5lCtcNt48y6GcVikt+Eb8TuT3oZvcdSTvA0Fgq4DDlwrjeZo2daFa6V9sRO91GwKZPLD"
    "0aZoudIthCcvBWDV9VtrMGaOg+GWWBXqh1k9kJz68sUUlm8SSGWqj1y4OBqkAJLJSqTgoE"
    "k9UnP1SGtDSIvk3N5EnUZJMiF6Qpi3QSQbGH0KaV7cwrxoIiLQcX0bErP5eRQNnN8XWXRK"
    "F8kqpYuYpE2zbj5xVEqpafR9oh3m0HdX7vqm0JdKjYaJt1mUGuQrMpHKMsqKDnuEVMagV0"
    "eLER9n/RkLF7UL0ki/iL94UvlrBaFu/lLqAWmKqwmbfXFwhb1MXGeGWs7Sjf4lwW90c0m7"
    "14jrreRU3VlY72RtmLpRjF7qirVVQ/4pkwqPvCnh2mmq+0LAuraba5RaeAfKPGeOJav0/E"
    "m4UbGnBib/5roRwzkCJvpBqyrT6gcYPSPTAkxRQc99d77I7+SqZgLnEWAOTWDBR1aswaLl"
    "F5xp9BIvGFHGA7jhou7rO7u8v5LIcNFK6SXJZOCpbjb5TvzgoP3mQyEILElZA2W6lsKlj/"
    "AKkxXTyLpUKqZVEdTzyx/PvglrS165eWbFKLccnlnVlEOquRCULIjsgGP0GO1knjHIi2/m"
    "GsOCwGbGsY+Rw8XtsapbKwL7O8LpYVYZjNb3clreB8+aNQeaZQK3jg0t2TWDRpxZLKpRwU"
    "IF4Q+poEIF9MsLPMPPEBut+7LNQyQv+7qxGnSuCvIDQZpSdZE1YQYqxLU2ElO7hCJP5Eqy"
    "lvsUDbSWn2UpeneWXPLuLFbwTgq0uxBoa5KT/VbpXXd7nwS3MZesDZyDEb5Wbrq/KwOai9"
    "07HOGPne4NPWX/j/JPWeb/hwzT/0NiLnanezQZj9cr+sPuT0ping+yTGTpH8+GMpFki1iR"
    "ZyM16VNKRJxDmQv4iu2vW0MfAdgRoXJ580RppV9Hlf06Kln5U453aeM90wxzmwHn0csRr/"
    "KIJ5RTTsnC0KRKyjuosSQdX9/EdyRtZtJmViXDThab2esYdjrI0CbzFsee41zZTzPjQP+e"
    "ysT0JcqT3M+aI0I6A7idnaHyAmSuzOpJbEhyTvUmKG9LSU9EPyoBhJ3bG4juYSY+7zCFzz"
    "vk8Hk6thAvE3FymGSARMZJCsZJCiTRKH4z++v/ASCm2xk="
)

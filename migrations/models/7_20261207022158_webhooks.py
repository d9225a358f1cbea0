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
    "zl01jnCpc5fQL0+eVJQc7MFIRfI2MBEC4ZLs7/hl0Mt5jCwcXoENbz9FuSQrXBca2O9/5U"
    "KIRsgkqEWVDX8MqNjDgyFY2zqoq6/jEGzk6SJTUNYMr1vNcDdDBYdNCSSvSGZQnAQQOy4a"
    "R7gHr+ye409Iby+oqFqw9YDaY5snSH7lVfkVS7MWQm7AHkEjjDVhN9LTTH7Apyl+wKdxVf"
    "4rmsaqKUbuzDJWEw/sztWw+7siuGy0rgedj8M2YP9G2G6jDez/I3zV/3p7owxZWLl7SO4i"
    "kJLL5KR7FBVdy3e2Zh2mjtR2V1lEudtDdtrpmYiDtbTYJA9dPXX30mLzFkc9i8WGcNHak2"
    "a9qLkSuESpZUb3YBWcADgJCd2hMZlrT+TTmRn6UmRnjRFWmKGp0d4agrXMLTYo+WWVyYI0"
    "0lCaaihlUBVgKL03UUGMahXVP8EJtYWd1FnmtrSUOq00OqvhLk3KtQRo4trotgTJs/U1Fa"
    "g/9PH22TGbCo6fy3ZLjITy/tYSqmc0nuv645Y4fbNbqQzHWQpG6mRtmPq2K5MD1RVrq0mz"
    "qswoJdtfjWM58hzZku1GzBmsnOCkaMps2++MyGxjcouMUqqUYSY0NjG8kyOVImQyWokXre"
    "RE4ovrj4KUUncU0B25wCTojexpyaCKYZ5ijglR7dAkc9XvDRU7EYGI3uhzv/+lDehfqiVi"
    "TVAdETsgZ4Yd8mvYGeHhoNO76w67/V4b+Md59EWH2RIXBa0xHqauuoj219YRsY6yw2GH/v"
    "P7lqIqOowN9pNmruFCzWn45FM3wtq8cwMo66QI+D5FhfWzlcXbIriq+hMyFpCjXUpGPUon"
    "sRfHfkL+G1CF+EHMnyVK1wTsd5BvXJrck9Gvp/FVmtzf4qhnCpKsQnW9apqsCg6XfLUacN"
    "VEVxaBq45SOZQ2KT9E28R91AGmCTQ5e6OQDYcK6I23B1rQ3NaIw4AaknaahFHpVgl/ZiWZ"
    "J0Jzb4OdQg0bwLOVFVgiqp22k/6zVmiMLPlu+BUCUu/emITN6x/9LU0clTJxhMZGAO8one"
    "Qqecp2mdREJjWpdlITriNVAcAWzDxVEdzoElilFK0+X5bEYbhM2ybmwmMSy0zTSh9izyDJ"
    "HlSKPfAHJgZ2ssk4RFRlo2Hr7mrQvR2q3wbd4VDptUH49wjfXSk9Rf3YvfnKiqMEfo1w5/"
    "6621cHylV/wMqrhH+PsHLdZfEJ9v9chuWTLIblk4Bh2UPetSuHX4jVTgm8BAtECHWbnrE7"
    "nGZtPolZIvTliq58nG/yUtcXCOIELjJIF5kpY0JY1lTxzuz2Q7zs929C+ubLbtSqdv/1Ui"
    "GDyrD3k5nG3Wc85PJYfyK0stZJdRT/cXuPtPIlL5f1tPdIK99bHPVMVj6pNZBag1cXbLdJ"
    "hVqqUGuRgZr2xzSl0zXtlP3+cfmWd99+qqjLKFSdkdgvzJIo7WdRp3cwsAmBpQMDLfUnBG"
    "goMKCtssq6ZDIBIvjSDJMmOYAWuW2GDFrNYgo0C0ADgQeak3IPkrbW1lj/ycloWdJzRniE"
    "vxmaZdH0mJjRkxfGJrRFV9aMPQVMdpEZadkj9oGpAwgmBjTngNUG9nqyZiWF4cxCxghTKs"
    "JzLkkPdLJs09bgi90Yew24aLMfz7rxiAxyjrwyeRh6QsYLy8q5xpa2oC9gricThKamzMNZ"
    "ldV2P0V54MwG9RFxPDGTvQEjZFVWIOT0Bjw8OMok2pPbUly+j2JiOCQf8XLF86DYmJMjQC"
    "ljKoL5OBxgEmIqFtC0VOFaiGGqJni77trTGFNvbWdscshIHPLdCEoVYaErLhdJJUjzxeEk"
    "JUhMfHs9WcPx3EyQMHy/znS5IpBUYHcpaJ3Et64Djv8NUCKZJraW7LRME1t2mtgxkTtnIo"
    "ycR9AIhHfNxHnKCXVtiBW3jlNuVWwv10AElpTxWltYGjbf0+e9xqpSSg0+S7fgQvVTYYhJ"
    "lFFqKVUGpMogOAmSpX1L/iwJcXo5ArER2JAxYUVFRAOrpr42eEWokrfeOGUTpPwdbME1yR"
    "fu5fIUXOxbn5SeMugMu71PbeAfJyU0VQaD/qAN2L+oPSCbolE4NUUoUbjfw1gCU9YnoZQU"
    "3kDkkOKjtNJlpcramidkmLk2rQDhK+5WB5XYoRwsErYmqRBLHoNmKcSkV1CTRz2LV1BYmZ"
    "dVzRamkp5BqZ5BK7+a2Ja+QYG6ZLXEdaN3UHheyWD/umdrriM2SUop4dD1Gm50mQAy0JNm"
    "ui5sW2Dk2a8GToNNAmw39kMPuVQ7YhDfLPZENTTCpWcpdgUzGZ5XKZNgvQTtMrn/kuTuw7"
    "jD1xgtRDTBHkHzFMClJDXUDe1B48zoZAWwT1FlK2zr/k4ZtAH9O8KuXpUmH/aPR3hARMX+"
    "QGkD52A3Ol8bQFfnS3tIFbx+v+gvp0N5FL7k/VW2l4l8Njxa+QVl+oKedbJtT/Q15oizm/"
    "aFMK3cGsJbg49Oaor1nNhHiCX4YfAD8DTQZF6PMchkNTcxXJlznfMFJDv0BGl278rzOtrK"
    "Upx2pF0oz1BU3CIQNwTJdMBC4yvTAdcnHXCZWjlWmpWjh3NLtiZr3tZm1vSa2/jwS3Xaq6"
    "rT0BJqQlKqR1CM5mEzyjuTTI+Pskim5K5EyZRdi/pTmiaToebQnIvgHCOssqYnry7g9DSL"
    "LuD0NFkXQK9F4iSdNN9ZgXbvl6qWTKoWbUn2GRF8PYImAnxykQnhk4sUiOnFiDhph6qpvk"
    "Ywh2qF28abdzGMwyK9Dd+I35n0NnyLo57kbSgQdB1w4FppNEfLti5cK+2LneilZlMgkx+O"
    "NkXLlW4hPHkpAKuu31qDMXMcDLfEqlA/zOqB5NSXL6awfJNAKlN95MLF0SAFkExWIgUHTe"
    "qRmqtHWhtCWiTn9ibqNEqSCdETwrwNItnA6FNI8+IW5kUTEYGO69uQmM3Po2jg/L7IolO6"
    "SFYpXcQkbZp184mjUkpNo+8T7TCHvrty1zeFvlRqNEy8zaLUIF+RiVSWUVZ02COkMga9Ol"
    "qM+Djrz1i4qF2QRvpF/MWTyl8rCHXzl1IPSFNcTdjsi4Mr7GXiOjPUcpZu9C8JfqObS9q9"
    "RlxvJafqzsJ6J2vD1I1i9FJXrK0a8k+ZVHjkTQnXTlPdFwLWtd1co9TCO1DmOXMsWaXnT8"
    "KNij01MPk3140YzhEw0Q9aVZlWP8DoGZkWYIoKeu6780V+J1c1EziPAHNoAgs+smINFi2/"
    "4Eyjl3jBiDIewA0XdV/f2eX9lUSGi1ZKL0kmA091s8l34gcH7TcfCkFgScoaKNO1FC59hF"
    "eYrJhG1qVSMa2KoJ5f/nj2TVhb8srNMytGueXwzKqmHFLNhaBkQWQHHKPHaCfzjEFefDPX"
    "GBYENjOOfYwcLm6PVd1aEdjfEU4Ps8pgtL6X0/I+eNasOdAsE7h1bGjJrhk04sxiUY0KFi"
    "oIf0gFFSqgX17gGX6G2Gjdl20eInnZ143VoHNVkB8I0pSqi6wJM1AhrrWRmNolFHkiV5K1"
    "3KdooLX8LEvRu7PkkndnsYJ3UqDdhUBbk5zst0rvutv7JLiNuWRt4ByM8LVy0/1dGdBc7N"
    "7hCH/sdG/oKft/lH/KMv8/ZJj+HxJzsTvdo8l4vF7RH3Z/UhLzfJBlIkv/eDaUiSRbxIo8"
    "G6lJn1Ii4hzKXMBXbH/dGvoIwI4IlcubJ0or/Tqq7NdRycqfcrxLG++E4ropMflNqqu7g4"
    "o70g3yTXxH0oIiLShVUvNnsaC8jpq/gwxtMm9xtPvOlf00pT7076lMhFeidMH9rDkChTOA"
    "22mdKy9O5MqzncSGJGfYboIqr5RkNfSjEkDYub2B6B5m4vMOU/i8Qw6fp2ML8fLSJgfNBU"
    "hk1Jxg1JxASoXiN7O//h9CvDsY"
)

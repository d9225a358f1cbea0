from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "activity_events" (
    "id" UUID NOT NULL PRIMARY KEY,
    "seq" INT CHECK ("seq" >= 1) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "entity_type" VARCHAR(32) NOT NULL,
    "entity_id" UUID NOT NULL,
    "changes" JSONB,
    "actor_kind" VARCHAR(7) CHECK ("actor_kind" IN ('USER', 'API_KEY', 'WORKER')) NOT NULL,
    "actor_user_id" UUID,
    "actor_api_key_id" UUID,
    "actor_job_id" UUID,
    "project_id" UUID NOT NULL REFERENCES "projects" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_activity_ev_project_4d8b31" UNIQUE ("project_id", "seq")
);
CREATE INDEX IF NOT EXISTS "idx_activity_ev_at_47dcf0" ON "activity_events" ("at");
COMMENT ON COLUMN "activity_events"."actor_kind" IS 'USER: USER\nAPI_KEY: API_KEY\nWORKER: WORKER';
        ALTER TABLE "projects" ADD "archived_from" VARCHAR(9) CHECK ("archived_from" IN ('DRAFT', 'ACTIVE', 'COMPLETED', 'ARCHIVED'));
        ALTER TABLE "projects" ADD "activity_seq" INT CHECK ("activity_seq" >= 0) NOT NULL DEFAULT 0;
        COMMENT ON COLUMN projects."archived_from" IS 'DRAFT: DRAFT\nACTIVE: ACTIVE\nCOMPLETED: COMPLETED\nARCHIVED: ARCHIVED';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "projects" DROP COLUMN "archived_from";
        ALTER TABLE "projects" DROP COLUMN "activity_seq";
        DROP TABLE IF EXISTS "activity_events";"""


MODELS_STATE = (
    "eJztXWtzo7ia/isqf5nuqkxXrp1un91T5SR0t6fTdtZxZs7FpxjZlmMmWLgBJ52dnf++kr"
    "iDwAiDA0RfEgy8QjwS0nt//+ysjDnSrXe9ma09avaz8oiw3emCPzsYrhA54N9wADpwvQ4u"
    "0xM2nOqMArq3qojey67BqWWb5Dy5vIC6hcipObJmpra2NQOTs3ij6/SkMSM3avg+OLXB2v"
    "cNUm3jHtlLZJIL//53Z20af6CZrWpz2rqFvnf+8x9yoOE5+oEses+fnYWG9Dk77kC7Qy+j"
    "H2sTWRZ5IjtNT7lv6T7Lfl6zN+iwm0mP2Y+/6I3rB5U1GMHGeTw7r3q0d3f9q0/sTvo+U3"
    "Vm6JsVDu5eP9tLA/u3bzba/B2lodfuEUYmtNE8hBPtmousd8qBhJywzQ3yX3senJijBdzo"
    "FO3Ofy02eEZBBuxJ9M/p392uhW5T1cFwrN4qY1XtCAzOjEBJYNLoMBNg/nLaDQBhZzv0AZ"
    "dfeqM3J+/fMggMy7432UUGV+cvRghtqAaDFqBMhzcB8+USzR7QvI9tPtguUQxtzZm7ojh7"
    "JwKgg1nsQeiBVAGspL/k38/HR6fnpx9O3p9+ILewjvpnzjOQ7w/G4PKLcvkVvJlQWCYd8P"
    "f/BkdvGeoBytBOgnxFMLK1FeJD7FDEEJ67JO+8gwbinQHmuP9NuR33vt3Q5leW9V1nOPXG"
    "Cr1yzM4+x86+cWa9QRZAZ4H0GwG/9cdfAP0J/jUcKPFvw79v/K8O7RPc2IaKjScVzsOYeK"
    "e9U9FhZR8/7/uBZsqw+hSxoSUQNXAwOyv4Q9URvreX5Of704zB/bU3YsvU+9PYgA3cK8fs"
    "UvS7IVsc3esYSAIox8haCPXJcQ6oT45ToaaXuFCL7boRojI33/ouUlv32gDS2RLie2QlAf"
    "3ldjjgAxoiia/92swG/wd0zcqzy7q8SgPwpFhE1ntvkr751vtHfP5eXg8v4sDTBi7i++3M"
    "Nkz1gbxtEnwFb1api3OIqs6rRufuVhl1Af07wb2bvvpV+WcXuAcT/Ntw9JVed/53CqwvWT"
    "yPNz7nbwPWJ4COcED9AXjzE+3bTwfgJ7dT9NDpzk9vU1el8wTfxJrdWMgUXJgShDssTs35"
    "lgTWJgcguNbUByS66vNoJb48fP8wpoWwDegkrlFco8qJvKhGqSSjQkClepfFA1cn4KKVBP"
    "iTYSLtHn9FzwzmPukKxDMej+0qtm6ClpoJbHA2+KBM+OSrq2IziyBA3hvZjnzSu73sXSmO"
    "imsKZw9P0JyrEczpFePYiJ3x701eWh2v4mcghvcMH/oitNueUnGtkYHq8NSNzpWDTD2js7"
    "rnUzB2emANTZsMMJiZaE6lAqj/DRhYfwYQ3H7p/Xx89h4YC2AvEbAQuccGmgUsstShOXij"
    "2WAJLUDvmWq2RW8kTZjG+vntuzjzUvGjOArRmO5T6itfVF/J/idwTlcFePfXmZsvqAM4Pj"
    "zMwaWTu1L5bXYtvr+ihfZDBOGAooUYH73PAfFRXAcZIEwvRQGmLDNZgpYiEIdpygF5+2LR"
    "YK2hNTPWYmqXgGInrUuhuRxalacbTbc1bL2jz3uJhbkSZQzZgylkqrgRJErZQmNIh7zgfE"
    "h4F/cLbIhxxF0sMm0jOrRsqoApMu5x2hJGvjnCcJ0GOpcVzESPxkOhcY5SylGu8ygXUMKW"
    "o37NsWbvk3mpRONCkSpB3XLnNtNIRLeqWkLTqVZ6FstCfK8uduEgU8tCb6nEict4IlOAan"
    "Bo46ahI2flmFMI6Shn+3SRiWZvWL9CLNguXl50JQm1H9WaVfMMqvJ5nhp0fEt9jFQAvagC"
    "KDKx84IdIZLq/5iA5i0PedUR3v2FVBE1Y9Gq1kWEl1wOxNl+ljHiQv6WdcO7PHfLEDqTDr"
    "hQxr8pygAcgd7gChwdHvJ0m8ajNudxWlnazYCmffO9IhWyA5lqokURqD269sF9lgvuswy4"
    "z7hwr9Yc0XtMeJZUoF2KNkCcJWQr/xhnqzN9Gft6OPjs3R7XcUbxdtEhvVTX0IQrIUUzl1"
    "h6+hVXLov6+DXCu6//rfdZ6QL2b4J7d1f9YRewfxP8a/9KIb/Yvwm+vbsY98fX5GbvaILH"
    "X+6+XQx6/esu8A8neDj+Ql0C2b9OgbXrY46V62PIIzDsC8hehDkD0negB6z79MDrNj32e0"
    "t/sI5m+Ap+TFh9fJk171wIKPY3Gzo3yuCqP/gsKHR5ZF3gHkzwSOld/bML2L8iAyrq4umg"
    "5Q2p2w06UqwHIl6dC01HqqghP0JU56+3KCt2dpaHFTs7S2fF6LWY6c3ANsK2cABFnE7inQ"
    "9vS/tfpE6fbZ712RX2LrT79Li6CHmbwus+Hh+fnJwfH568/3B2en5+9uHQF/ySl7JWpov+"
    "52jMnQ9ZQgY8Iy2eH348Oo6z06SB2LjNNy5TZiHS/3n66H3SDZgyeLw2YkO4oNSt4umuhn"
    "cX1wq4GSmX/dv+cBAMTBwOJzLyMMp1O+T0FDmhOep8sp1c52gmOoDfN1CnkUjWzDC5K922"
    "0Us08IqHLoJF6LM6dFQrokO4tbnoUK6QDan2V0SsCtNIaaq4NEVtJvAe8dXr6exCjKx1Lm"
    "pHh8d5FMP0tnRPQHZRekZJz6jNel5w1KOUctTrMuocBxq395FgYGrfF3aiidNVGhDWDEea"
    "MKziEXZ7iq1rHpRk916Y5FgQzxiZBLVh8YrNw9SakZcWRDRMI6dogumPOErlxjROKIFtYF"
    "htHV0980TV8qdwCejeRhpr4rzdim/iy80BMV1Ay0DXa6edwIa2me2Y+rx9CbhehttqJbZx"
    "SWg7vh5rWgK8X0NNtRLdGBu/HVwiR5WA6y9OK62ENJA0I2iSx4PB3fV1VsBCaN01NuYMqb"
    "qGHzhmqQuX+tPXEdJhSm7BcDzCLWuugaqhNNCjdjxkao9oLtFKRUsoEoanvZotDW3GWVE9"
    "bIcYjQ3yZzvC/o7VX8H75kb3Zc9If1ktDzdvK2obbEXirtwPNC36Kvh+t8Rgqc4ymzfdDQ"
    "aMCkBs0JAr8AQtsIJzBBamsToA0Aa/G+Zcw1D/HWiY5aJh3ursaLPWDTgH9/AR0d8rTo6b"
    "8tvnBok5r+5uUU57NDQqesHdgMiPeMiYjIR62Ugod8QSUOcIK/EI2+RjVFJMCYWGF0+SyE"
    "0Z+kbyTvUwjQxDi+sh/YVGANEIkVSUZyogoReQvKPM5gc2N3OabpXbItvidsWYz2PUB9Y6"
    "SsORL7VOAfyB5ozDRkbUaulMpC8f7aEiC0Vas2yEZ8/M4yozkj9Kyl5OBr83luWT2Q+rDV"
    "0N9ywBc3pAZYysFWjvO6wyvqoJzHIOaSuGIO6EmmfCH2VMeI4QI52tZV7EOs78ZvqBSu/f"
    "1zjqebx/pRugdK+qjyi+W9GCmEKpDDtrY5mFbOPfDFo2aWRHhJjHlIh7T93W9bKN0Ro1fE"
    "pDdOkW1RgOWdowH6kcKjGVjVdO0+p4iYBP+ZNFjg0LYWCiBTKJgIcAa+wAGBjR4h20hoez"
    "CiWtqMWbmuAJ7gHTePLOG0+EDjJTrL2EGEDgbNL0eqD667r0oUcEFw8AxHMAJ3jhbEeASK"
    "qATnVm0w3dCJ6MjT4HU0Sf8kxYFaeUyWyJVuQExNiw6UVXBgBPmr0kHb6iKzh5cXazYzw2"
    "HHOw3zJwVnnLPUu/HlnzpC6MzUGG1q8GoWP1is4tx95YJwNuQ+FMsOMiFpxcftDeLl6BF3"
    "QtB6ECL+gUs68gsoWtk41AdbvJtzx7Y3+OVmuDqatTCrTF7shks7TgXoGCbWTcwZqwBG9o"
    "UvUDyou87TrOY2zYQAAY4Rpm5BmELVlqsyWrrPZkEGZoRpkNE5GbLcLxONwIhwmr6kGURf"
    "vdPctqI/1Oy7wlKsAZazfdIuO+KCun4fXG/hu5k7F3+txj6ejdT2SSkrOaNcEmWutwRvir"
    "6TO7hNEP2+sF47lYY+R10r3rQvnqeWZayVS9KFMlaGNqr12pEkOq/92JYBwhaiHS5WcXDy"
    "+AIkjH6STYeVK5Twuo8CNEsphzky2gNRHJam764lg8a1w5qiEfTYbZq3alo2qh+j5oRu0o"
    "Gv3Kkf/coNh0oe8PY1qBo2mWH2mQK9vPoG5qhqnZjC2uqoKT90wdQQuppFmNtCtrUUl33J"
    "rIkNziAxlCZAOKD9TJO7EhKf3/5065U64Ep65L1QXO/wke3Q0GLMO/e0CLO1xeKsoVvck/"
    "nOBPvf41PeX8n+DL3uBSuWan/MO4Gi7PCIoWeIjWA3DegpUDcLrvFHdwe01/OP2lR343Rc"
    "o7hLcbsXDHMOX+4h0P49PhcIdPrbwARw+MUITjz+TLSwtyXOsQY8RZ5C4Mg2zKOAXxgCoG"
    "+JSQVYW4fyaMuihblH/fuBgOryMi2EU/7uZ+9+1CIYsem+RBduxk+nnyKd0LxXX4BG0o4L"
    "SfkmR0W0/P65+xeASUL7h41C9S2gMmmdCdF2VgWdwZnh5SEyJpwxzfdzQNMk2DoxZIx9sn"
    "kGgXRJu8hg01XagcXIJQxtMUj6eJWcJF9lMOaRu+gz3srNC2CXQ8J/BtO2uYUu6soZ3VAy"
    "al1A0d0+Kox6n3h/xJ/ZEPg+Ogn6hOY6Hv4qC7RHKWhwt3oe8pE3wNn2kCK5F9NEQid9Di"
    "Oyi5RPsvAHxAIXHfAfcNVuGC6/+abQaPELYwIrRNZnDHhrWtwGDqHpIgl7tJaDeJoJOyry"
    "SMiIIfG4++hG+uOWtf4z65mQ7JGMzVqVg6kQhV++TA8j3jmuXHtV/om5nTIE8mC8uGZrFR"
    "j1LKNbTOa+hCw5q1LDTMMVI5znUeZ5mXpm1rOGfYZV4aWU+tWcDKhD+ynlr98c1ZT03mVN"
    "o9pxJ6RHhXfH4xpgptpoG8SC6MmHvY7hjd2vnSITUGo4pDOZw5xY/n8OdbZlCHGszusnOI"
    "B8XIqDVSBqPXKpCgGVblKkWsCgzLSdt9I8IJxFGWoQRioQTS3Vq6WzdwYZMe1yVt1JX4AI"
    "vrTVurL22ufjSpFg/Y5rw8cEAhFaOZ+rt9FpCuJ55FK0i/fNYCRzXAF3V9tUG2qBsoKfKl"
    "q2P307xuEBDyLk0Xp0MTzcEbmomNhhy+BYZ5ABaG6dzC0rQZG5v8olcPAKSZedcGNT3zE9"
    "WV/4gtorhfdFWK43USx2Vl1Sorq/JEc1nYTGZSIG3fKIMrIvALrhYeWRe4B8U1ILdf+zc3"
    "7B7nYP/aD/cV8qk/3F4KKj+k11brxRbptfU6xnm+cTKmqiueuU+7T+VUYoSFuJWajavLrH"
    "w8Pj45OT8+PHn/4ez0/Pzsw6HPtSQvZbEvF/3PNFVHZGyTuTtkpP0+tWwFYuxldH0pMWpS"
    "EbYFdakIe3WKMDI4C9MZxIQizL92kKUIe3DvqsTlw6KF4wKnjw2tSCVVTfVSNfnjksA6y+"
    "/DJ5FaJg5LJqu4vxh/RiRC0p2tUc6fdAOmjEKyhdhALChtVUNRVahzxjhcDe8urhVwM1Iu"
    "+7f94SBQDEWhSJj9P7w/dZWAgUzK2mLrvZ9ucKT0rkXblEXi68J2y9Da9G2jmWFZskj8ax"
    "z1PMF4YX49d8xYiEaK2ZliNoOqBEH71munkZhuj2UKzSgZxtTCcueeZuKVVzuPwpChwclR"
    "69xT4wiXOvcIg/LkaUXJwRsYq0jeBRZCIFqS/S2/DHo1j5GFw2uw4R1kKJdkhetSA/uDr1"
    "wI0RiZBLWssuEPIRV7dDAEa1uHdfVNHIKtPF1sCsqa4U2rGe5lqOCwKaHkFekMipsAYs9F"
    "4wj34Jfdc/0J6e0lFVULtx5Se+zyBMmvvCi/Ymu2LuQG7BO0wlgTdSM9y+UHfJbhB3yWVO"
    "W/oGmsnmLk3ixjDfHA7l2O+78qgstG52rU+zTuAvZvgp02usD5P8GXw28318qYhZV7h+Qu"
    "Aim5TE56R3HRtXpna9Zh6kjtdJVFlHs9ZKfdnok4WEuLTfrQNVN3Ly02r3HU81hsCBetPW"
    "r2s1oogUuc+tUXpwwDkpLEHZqzpfZIPpeFaaxEdtMEYY2ZmAbtpxFYq9xWw9JeXjksTCON"
    "o5nGUQZVCcbROwuVxJzWUeUTnlA72EbdZW5H66jbSqszGe7TjNxIgGaeXW5HkHz7XluB+s"
    "OY7p4Rs63gBPlrd8RIKNdvY6CqMobE8Sbi6PV9N6N0rT5z1akmdCSe0NjxCiLc9ZTcImNI"
    "aqU2j4xNAu/0OJIYmYwl4cWSuHHS4tJ9mFLWagtJ+R4wKRK+My0ZVAnMM5TlEao9Kswvh4"
    "Ox4oSJi0j4X4bDr11A/1J5njVBpXl2QM6Me+TXuDfB41FvcNsf94eDLgiOi0j2R/nSyoR1"
    "5T6mnmBP++tI86yj7HDco/+CvmUI9UeJwX7UrA3U1YJmKT51K2yBezdPsU6KgB9Q1FiTVl"
    "u8bYKrajwiU4ccPUA66nE6ib049jPy34QqxPdi3gZxujZgv4ds0NIgmo5+M01j0iD6Gkc9"
    "VwhbHWqf1dO4UHIw24tV6KonurJEV320yZGkNsUh2sUrvwkwzaDF2RuFtO1UQG+95caG1s"
    "OuZgkK1Ji00yaMKrdKBDMrzTwRmXtb7BRq1FSZL+n7ClHttJOSnbVCIxjJd8PP355599YU"
    "WX7/6G9p4qiViSMyNgJ4x+kkV8lTtsuUEzLlRL1TTnBdXkoAtmTmqY7gxpfAOiXQDPiyNA"
    "7DY9q2MRc+k1hlEk36EGcGSfagVuxBMDAJsNNNxhGiOhsNO7eXo/7NWP1t1B+PlUEXRH9P"
    "8O2lMlDUT/3rb6x0RejXBPfurvpDdaRcDkes+EX09wQrV33mSe78L2RYPs1jWD4NGZZ95D"
    "27cvSFWGWL0Eswl/FIt+kZp8NZ1ubThCXCWK3pysf5Ji8MQ0cQp3CRYbrYTJkSwqqmin9m"
    "vx/ixXB4HdE3X/TjVrW7bxcKGVSGfZBqMuk+4yNXxPoTo5WVKOqj+E/ae6SVL325bKa9R1"
    "r5XuOo57LySa2B1Bq8uGC7S6LKSoVamwzUfDilCXeuaKec90/Kt7z7DjJFXUahGozEeWGW"
    "4uYgjzq9h4FDCGwDmGhlPCJAgzYBbZXVPSWTCRDBl+b/s8gBtMltC2TSWgNzoNkAmgjc04"
    "yBbyBpa2NPjR+cfIMVPWeCJ/g3U7NtmrwQM3rywtiCjujKmnGmgMUuMiMte8QBsAwAwcyE"
    "1hKwyq1+Tzas4Ctc2MicYEpFeM4V6YFBlm3aGnx2GmOvAfUu+/FkmA/IJOfIK5OHoUdkPr"
    "OciRtsazp9AWszmyE0t2SWxLqstgcZygN3NqgPiOOJme4NGCOrswKhoDfg0eFxLtGe3Jbh"
    "8n2cEMMh+YhXa54HxdaMCSFKGVMRzpzgApMSU6FDy1aFK9VFqdrg7bpvT2NMvbXdsSkgI3"
    "HI9yMo1YSFrrlcJJUg7ReH05QgCfHt5WQN13MzRcII/Dqz5YpQ+Pf+EoS6aUk9B5zgG6BE"
    "MolnI9lpmcSz6iSeUyJ3LkQYOZ+gFQjvm4nzlRPqxhQrPZyk3KkUWqGBCC0p042m2xq23t"
    "HnvcSqUkmFNNuwoa4GqTDEJMo4tZQqQ1JlGJwUydK5pXiWhCS9HIHECGzJmLCmIqKJVcvY"
    "mLwSQelbb5KyDVL+HrbghmRz9rMuCi72nc/KQBn1xv3B5y4IjtNSTyqj0XDUBexf3B6QT9"
    "EonJoiksY56GEi1STrk1BKCn8gCkjxcVrpslJnbc0jMq1Cm1aI8NXn7HWxSNmapEIsfQza"
    "pRCTXkFtHvU8XkFRZV5eNVuUSnoGZXoGrYNaTzv6BoWqRjUS163eQdF5JYP9m55Xt4nYpC"
    "mlhEPXG7jR5QLIRI+a5bmw7YCRb78auQ22CbD92A995DLtiGF889gT1cgIV56l2BPMZHhe"
    "rUyCzRK0q+T+K5K7j5IOX1Oki2iCfYL2KYArSWpomNq9xpnR6QrggKLOVtjO3a0y6gL6d4"
    "I9vSpNPhwcT/CIiIrDkdIF7sF+dL4OgJ7Ol/aQKniDftFfboeKKHzJ+6tsLxP5bHi08gvK"
    "9QU9GWTbnhkbzBFnt+0LUVq5NUS3hgCdzBTrBbGPEUvwo+CH4GmhybwZY5DLam5huLaWBu"
    "cLSHfoCdPs35XnZbSVlTjtSLtQkaGouUUgaQiS6YCFxlemA25OOuAqtXKsiCZHD+cV10zX"
    "vG2svOk1d/Hhl+q0F1WnoRXUhKRUn6AczcN2lPcmmZ4c55FMyV2pkim7FventCwmQy2htR"
    "TBOUFYZ01PUV3A2VkeXcDZWbougF6LxUm6ab7zAu3dL1UtuVQt2orsMyL4+gRtBPj0Qy6E"
    "Tz9kQEwvxsRJJ1RNDTSCBVQr3DZevYthEhbpbfhK/M6kt+FrHPU0b0OBoOuQA9daozladn"
    "XhWmtfnUQvDZsCufxwtDlarQ0b4dlzCVj1g9ZajJnrYLgjVqX6YdYDpCo1Iz1karNlh6Mb"
    "ca8cZGlHYHBPbdQjqcwgVzvCYf7cLbK+AnspFbkLOReliTfpbkVSQk+R0OlHJYCwe3sL0T"
    "3KJaAfZQjoR5wSqQYm26WQKTJEIi2RgpbIF03e89f/A8MLs84="
)

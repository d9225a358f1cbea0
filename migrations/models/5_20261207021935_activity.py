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
    "eJztXe1zm7i6/1c0/tJ0JttJnKRpfe49M05CW29TO9dxtufFZ1jZlmM2WLiAk+bu3f/9Su"
    "IdBEbYOED0JcHAI8RPQnrenz9bS2OGdOtdd2prj5r9rDwibLc64M8WhktEDvg3HIIWXK2C"
    "y/SEDSc6o4DurSqi97JrcGLZJjlPLs+hbiFyaoasqamtbM3A5Cxe6zo9aUzJjRq+D06tsf"
    "ZjjVTbuEf2Apnkwr//3VqZxh9oaqvajLZuoR+t//yHHGh4hn4ii97zZ2uuIX3GjlvQbtHL"
    "6OfKRJZFnshO01PuW7rPsp9X7A1a7GbSY/bjL3rj6kFlDUawcR7Pzqse7d1d7+oTu5O+z0"
    "SdGvp6iYO7V8/2wsD+7eu1NntHaei1e4SRCW00C+FEu+Yi651yICEnbHON/NeeBSdmaA7X"
    "OkW79V/zNZ5SkAF7Ev1z+ne3a6HbVLU/GKm3ykhVWwKDMyVQEpg0OswEmL+cdgNA2NkWfc"
    "Dll+7w4OT9WwaBYdn3JrvI4Gr9xQihDdVg0AKU6fAmYL5coOkDmvWwzQfbJYqhrTlzVxRn"
    "70QAdDCLPQg9kEqAlfSX/PulfXx6fvrh5P3pB3IL66h/5jwD+V5/BC6/KJdfwcGYwjJugb"
    "//Nzh+y1APUIZ2EuQrgpGtLREfYocihvDMJXnnHdQQ7wwwR71vyu2o++2GNr+0rB86w6k7"
    "UuiVNjv7HDt74Mx6gyyAzgLpNwK+90ZfAP0J/jXoK/Fvw79v9K8W7RNc24aKjScVzsKYeK"
    "e9U9FhZR8/7/uBZsqw+hSxoSUQ1XAwW0v4U9URvrcX5Of704zB/a07ZMvU+9PYgPXdK212"
    "KfrdkC2O7nUMJAGUY2QNhPqknQPqk3Yq1PQSF2qxXTdCtMvNt7qL1Ma9NoB0uoD4HllJQH"
    "+9HfT5gIZI4mu/NrXB/wFds/Lssi6vUgM8KRaR9d6bpAffuv+Iz9/L68FFHHjawEV8v53a"
    "hqk+kLdNgq/g9TJ1cQ5RVXnVaN3dKsMOoH/HuHvTU78q/+wA92CMvw+GX+l153+rwPqSxf"
    "N443P+NmB9AugIB9Trg4M3tG9vDsEbt1P00OnOm7epq9J5gm9iza4tZAouTAnCLRan+nxL"
    "AmuTAxBcaeoDEl31ebQSXx6+fxiTQtgGdBLXKK5R5UReVKNUklEhoFK9y/yBqxNw0UoC/M"
    "kwkXaPv6JnBnOPdAXiKY/HdhVbN0FL9QQ2OBt8UCZ88tVVsZlFECDvjWxHPuneXnavFEfF"
    "NYHThydoztQI5vSK0TZiZ/x7k5eW7WX8DMTwnuFDX4R221MqrjQyUC2eutG5cpipZ3RW93"
    "wKxlYXrKBpkwEGUxPNqFQA9b8BA+vPAILbL91f2mfvgTEH9gIBC5F7bKBZwCJLHZqBA80G"
    "C2gBes9Esy16I2nCNFbPb9/FmZeSH8VRiMZ0n1Jf+aL6SvY/gXO6KsC7v8rcfEEdQPvoKA"
    "eXTu5K5bfZtfj+iubaTxGEA4oGYnz8PgfEx3EdZIAwvRQFmLLMZAlaiEAcptkNyJsXixpr"
    "Da2psRJTuwQUW2ldCs3l0Ko8WWu6rWHrHX3eSyzMpShjyB5MIVPFjSBRygYaQ1rkBWcDwr"
    "u4X2BNjCPuYpFpG9GhZVMFTJFxj9PuYOTrIwxXaaBzWcFM9Gg8FBrnKKUc5SqPcgEl7G7U"
    "rznW7H0yL6VoXChSO1C33LnN1BLRjaqW0HSqlJ7FshDfq4tdOMzUstBbSnHiMp7IFKAaHN"
    "q4aejIWTlmFEI6ytk+XWSi2WvWrxALto2XF11JQu1HtWblPIOqfJ4nBh3fnT5GKoBeVAEU"
    "mdh5wY4QSfV/TEDzloe86gjv/kKqiIqxaGXrIsJLLgfibD/LGHEhf8uq4b07d8sQOuMWuF"
    "BG3xWlD45Bt38Fjo+OeLpN41Gb8TitLO1mQNO8+V6SCtmBTDXRvAjUHl3z4D7LBfdZBtxn"
    "XLiXK47oPSI8SyrQLkUTIM4SspV/jLLVmb6MfT3of/Zuj+s4o3i76JBeqitowqWQoplLLD"
    "39iiuXRX38auHd1/vW/ax0APs3xt27q96gA9i/Mf6td6WQX+zfGN/eXYx6o2tys3c0xqMv"
    "d98u+t3edQf4h2M8GH2hLoHsX6vA2vUxx8r1MeQRGPYFZC/CnAHpO9AD1n164HWbHvu9pT"
    "9YRzN8BT8mrD6+zJp3LgQU+5sNrRulf9XrfxYUujyyDnAPxniodK/+2QHsX5EBFXXxdNDy"
    "htTtBh0p1gMRr865piNV1JAfIary11uUFTs7y8OKnZ2ls2L0Wsz0ZmAbYVs4gCJOJ/HOh7"
    "el/S9SJ882z/rsCnsX2n16XF2EvEnhdR/b7ZOT8/bRyfsPZ6fn52cfjnzBL3kpa2W66H2O"
    "xtz5kCVkwDPS4vnRx+N2nJ0mDcTGbbZ2mTILkf7P0kfvk27AlMHjtREbwjmlbhRPdzW4u7"
    "hWwM1Quezd9gb9YGDicDiRkUdRrtshp6fICc1R55Pt5DpHM9EB/LGGOo1EsqaGyV3pNo1e"
    "ooFXPHQRLEKf1ZGjWhEdwo3NRYdyiWxItb8iYlWYRkpTxaUpajOB94ivXk9nF2JkjXNROz"
    "5q51EM09vSPQHZRekZJT2j1qtZwVGPUspRr8qocxxo3N5HgoGpfV/YiSZOV2pAWD0cacKw"
    "ikfY7Sm2rn5Qkt17bpJjQTxjZBLUmsUr1g9Ta0peWhDRMI2cogmmP+IolRvTOKEEtoZhtV"
    "V09cwTVcufwjtA9zbSWB3n7UZ8E19uDojpAroLdL12mglsaJvZjKnP2+8A18twW43ENi4J"
    "bcbXY013AO/XUFONRDfGxm8Gl8hRO8D1V6eVRkIaSJoRNMnjQf/u+jorYCG07hprc4pUXc"
    "MPHLPUhUv96esQ6TAlt2A4HuGWNVdD1VAa6FE7HjK1RzSTaKWiJRQJw9NeTReGNuWsqB62"
    "A4xGBvmzGWF/x+ot4X19o/uyZ6S/rO4ON28rahpsReKu3A80Lfoq+H43xGCpzjKbN90NBo"
    "wKQGzQkCvwBC2whDME5qaxPATQBr8b5kzDUP8daJjlomHe6uxovdINOAP38BHR30tOjpvd"
    "t88NEnNe3d2inPZoaFT0grsBkR/xkDEZCfWykVDuiCWgzhFW4hE2ycdoRzElFBpePEkiN2"
    "XoG8k71cM0Mgwtrof0FxoBRCNEUlGeqYCEXkDyljKbH9hcz2m6UW6LbIubFWM+j1EdWKso"
    "DUe+1CoF8AeaMw4bGVGrpTORvny0h4osFGnNshGePjOPq8xI/igpezkZ/F5blk9mPyw3dD"
    "XcswTM6QGVMbJGoL3vsMr4qiYwyzmkjRiCuBNqngl/nDHhOUKMdLaWeRGrOPPr6QcqvX9f"
    "46jn8f6VboDSvao6ovh2RQtiCqVd2FlryyxkG/+m0LJJI1sixDymRNx7qrau79oYrVHDpz"
    "RE79yiGsMhSxvmI5VDJaay8cppWh0tEPAp31jk2LAQBiaaI5MIeAiwxg6BgREt3kFreDir"
    "UNKKWrypMR7jLjCNJ++88UToIDPF2guIAQTOJk2vB6q/jksfekRw8RBAPANwjOfOdgSIpA"
    "roVGc23dCN4MlY6zMwQfQpz4RVcUqZTBdoSU5AjA2bXnRlAPCk2QvS4Su6gpMXZzc7xmPD"
    "MQf7LQNnlbfcs/TrkTVPqsLYHGZo/SoQOlat6Nzd2BurZMCtKZwJdlzEgpPLD9rbxUvwgq"
    "7kIJTgBZ1i9hVEtrB1shaobjb57s7e2Juh5cpg6uqUAm2xOzLZLC24V6BgGxl3sCIswQFN"
    "qn5IeZG3Hcd5jA0bCAAjXMOUPIOwJQttumCV1Z4MwgxNKbNhInKzRTgehxvhMGFlPYiyaL"
    "+7Z1ltpN9pmbdEBThj5aZbZNwXZeU0vFrbfyN3MvZOn3ksHb37iUxSclazxthEKx1OCX81"
    "eWaXMPppe71gPBdrjLxOunddKF89z0wrmaoXZaoEbUzNtSuVYkj1vzsRjCNEDUR699nFww"
    "ugCNJxOgl2nlTukwIq/AiRLOZcZwtoRUSyipu+OBbPCleOqslHk2H2qlzpqEqovg/rUTuK"
    "Rr9y5D83KDZd6PvDmJTgaJrlRxrkyvYzqJuaYWo2Y4vLquDkPVNH0EIqaVYj7cpaVNIdty"
    "IyJLf4QIYQWYPiA1XyTqxJSv//uVPulCvBqetSdYDzf4yHd/0+y/DvHtDiDpeXinJFb/IP"
    "x/hTt3dNTzn/x/iy279Urtkp/zCuhsszgqIFHqL1AJy3YOUAnO47xR3cXtMfTn/pkd9Nkf"
    "IO4e1GLNwxTLm/eMej+HQ42uJT212AowdGKMLxF/LlpQU5rnSIMeIscheGQTZlnIJ4QBUD"
    "fELIykLcPxNGXZQtyr9vXAwG1xER7KIXd3O/+3ahkEWPTfIgO3Yy/Tz5lO6F4jp8giYUcN"
    "pPSTK6rafn9c9YPALKF1w8qhcp7QGTTOjOizKwLO4MTw+pCZE0YY7vO5oGmabBUQuk4+0T"
    "SLQLok1ew4aaLlQOLkEo42mKx9PELOEi+ymHtAnfwR52VmjbBDqeE/imnTVMKXfW0M7qAZ"
    "NS6oaOaXHU49T7Q/6k+siHwXHQT1SnsdAPcdBdIjnLw4W70I+UCb6CzzSBlcg+GiKRO2jx"
    "HZRcov0XAD6gkLhvgfsaq3DO9X/NNoNHCBsYEdokM7hjw9pUYDB1D0mQy90ktJtE0EnZVx"
    "JGRMGPjUe/g2+uPmtf7T65qQ7JGMzUiVg6kQhV8+TA3XvG1cuPa7/Q1zOnQZ5MFpYNzWKj"
    "HqWUa2iV19C5hjVrUWiYY6RynKs8zjIvTdPWcM6wy7w0sp5avYCVCX9kPbXq45uznprMqb"
    "R9TiX0iPC2+PxqTBTaTA15kVwYMfew7TG6tfOlQ6oNRiWHcjhzih/P4c+3zKAONZjdu84h"
    "HhQjo9ZIGYxeqUCCeliVyxSxSjAsJ233tQgnEEdZhhKIhRJId2vpbl3DhU16XO9ooy7FB1"
    "hcb9pYfWl99aNJtXjANuflgQMKqRjN1N/ts4B0NfEsWkH65bMWOKoBvqjrqw2yRd1ASZEv"
    "XR27n+Z1g4CQd2i6OB2aaAYOaCY2GnL4FhjmIZgbpnMLS9NmrG3yi149BJBm5l0Z1PTMT1"
    "S3+0dsEMX9oqtSHK+SOC4rq5ZZWZUnmsvCZjKTAmn7RulfEYFfcLXwyDrAPSiuAbn92ru5"
    "Yfc4B/vXfrivkE/94fZSUPkhvbYaL7ZIr63XMc6ztZMxVV3yzH3afSqnEiMsxK1UbFxdZu"
    "Vju31yct4+Onn/4ez0/Pzsw5HPtSQvZbEvF73PNFVHZGyTuTtkpP0+tWwFYuxldP1OYtSk"
    "ImwD6lIR9uoUYWRw5qYziAlFmH/tMEsR9uDeVYrLh0ULxwVOH2takUqqmqqlavLHJYF1lt"
    "+HTyK1TByWTFZxfzH+jEiEpDsbo5w/6QZMGYVkC7GBmFPasoairFDnjHG4GtxdXCvgZqhc"
    "9m57g36gGIpCkTD7f3h/6ioBA5mUtcXWez/d4FDpXou2KYvEV4XtlqG16dtGPcOyZJH41z"
    "jqeYLxwvx67pixEI0UszPFbAbVDgTtW6+dWmK6OZYpNKNkGFMDy517molXXu08CkOGBidH"
    "rXNPjSNc6twjDMqTpxUlBwcwVpG8AyyEQLQk+1t+GfRyHiMLh1dgwzvMUC4F01II7hiZrH"
    "MddfSWZcMrUjb8IaRij46EYG3rsK6+jkOwkaeLfdGyZnjdaoZ7GSo4bEooeUU6g+ImgNhz"
    "0TjCPfhl91x/Qnr7joqqhVsPqT22eYLkV16UX7E1WxdyA/YJGmGsibqRnuXyAz7L8AM+S6"
    "ryX9A0Vk0xcm+WsZp4YHcvR73fFMFlo3U17H4adQD7N8ZOGx3g/B/jy8G3m2tlxMLKvUNy"
    "F4GUXCYnvaO46Fq+szXrMHWkdrrKIsq9HrLTbs9EHKylxSZ96Oqpu5cWm9c46nksNoSL1h"
    "41+1ktlMAlTi0zuoer4ITASUnoDs3pQnskn87cNJYiO2uCsMIMTY321gisZW6xYckvr0wW"
    "ppGG0kxDKYNqB4bSOwvtiFGtovonPKG2sJO6y9yWllK3lUZnNdynSbmWAE09G92WIPm2vq"
    "YC9Ycx2T47ZlPBCXLZbomRUN7f2kBVZjyJ41nE0fH7LkfpGn7mtlNOGEk8ubHjIUS46wm5"
    "RcaTVEqFHhmbBN7pMSUxMhlXwosrcWOmxSX9MKWU8kNSvgdMioTvTEsGVQLzDMV5hGqPyv"
    "PLQX+kOCHjIhL+l8HgawfQv1SeZ01QaZ4dkDOjLvk16o7xaNjt3/ZGvUG/A4LjIpL9cb4U"
    "M2G9uY+pJ9jT/jrSPOsoOxx16b+gbxlC/XFisB81aw11taCJik/dCLvg3k1VrJMi4AcUFd"
    "akVRZvm+CqGo/I1CFHD5COepxOYi+O/ZT8N6EK8b2Y50GcrgnY7yEztDSOpqNfTzOZNI6+"
    "xlHPFc5WhTpo1TQu7Diw7cWqdVUTXVmuqzra5EiCm+IQbeOhXweYptDi7I1C2nYqoDfecm"
    "ND62FbswQFakTaaRJGpVslgpmVZp6IzL0Ndgo1aqrMlwB+iah22knPzlqh0Yzku+Hncs+8"
    "e2O6LL9/9Lc0cVTKxBEZGwG843SSq+Qp22X6CZl+otrpJ7guLzsAdsfMUxXBjS+BVUqmGf"
    "BlaRyGx7RtYi58JrHMhJr0Ic4MkuxBpdiDYGASYKebjCNEVTYatm4vh72bkfp92BuNlH4H"
    "RH+P8e2l0lfUT73rb6yMRejXGHfvrnoDdahcDoasEEb09xgrVz3mSe78L2RYPs1jWD4NGZ"
    "Z95D27cvSFWJWL0Eswl/FIt+kZp8NZ1ubThCXCWK7oysf5Ji8MQ0cQp3CRYbrYTJkQwrKm"
    "in9mvx/ixWBwHdE3X/TiVrW7bxcKGVSGfZB2Muk+4yNXxPoTo5VVKaqj+E/ae6SVL325rK"
    "e9R1r5XuOo57LySa2B1Bq8uGC7TdLKUoVamwzUbDChyXeuaKec90/Kt7z7DjNFXUahGozE"
    "eWGW7uYwjzq9i4FDCGwDmGhpPCJAgzYBbZXVQCWTCRDBl+YCtMgBtMltc2TSugMzoNkAmg"
    "jc0+yBB5C0tbYnxk9O7sGSnjPGY/zd1GybJjLEjJ68MLagI7qyZpwpYLGLzEjLHnEILANA"
    "MDWhtQCsiqvfkzUr/grnNjLHmFIRnnNJemCQZZu2Bp+dxthrQL3DfjwZ5gMyyTnyyuRh6B"
    "GZzyx/4hrbmk5fwFpPpwjNLJkxsSqr7WGG8sCdDeoD4nhipnsDxsiqrEAo6A14fNTOJdqT"
    "2zJcvtsJMRySj3i54nlQbMyeEKKUMRXhzAkuMCkxFTq0bFW4al2Uqgnervv2NMbUW9sdmw"
    "IyEod8P4JSRVjoistFUgnSfHE4TQmSEN9eTtZwPTdTJIzArzNbrgiFf+8vWaibotRzwAm+"
    "AUokE3rWkp2WCT3LTug5IXLnXISR8wkagfC+mThfOaGuTbEyxEnKrcqiFRqI0JIyWWu6rW"
    "HrHX3eS6wqpVRLsw0b6mqQCkNMooxTS6kyJFWGwUmRLJ1bimdJSNLLEUiMwIaMCSsqIppY"
    "tYy1ySsXlL71JimbIOXvYQuuSWZnP+ui4GLf+qz0lWF31Ot/7oDgOC31pDIcDoYdwP7F7Q"
    "H5FI3CqSkiKZ2DHiZSTbI+CaWk8AeigBQfp5UuK1XW1jwi0yq0aYUIX3C3OqrEDuVikbI1"
    "SYVY+hg0SyEmvYKaPOp5vIKiyry8arYolfQMyvQMWgV1n7b0DQpVkKolrhu9g6LzSgb71z"
    "2vbh2xSVNKCYeu13CjywWQiR41y3Nh2wIj3341dBtsEmD7sR/6yGXaEcP45rEnqpERLj1L"
    "sSeYyfC8SpkE6yVol8n9lyR3HycdviZIF9EE+wTNUwCXktTQMLV7jTOj0xXAAUWVrbCtu1"
    "tl2AH07xh7elWafDg4HuMhERUHQ6UD3IP96HwdAD2dL+0hVfAG/aK/3A4VUfiS91fZXiby"
    "2fBo5ReU6wt6Msi2PTXWmCPObtoXorRya4huDQE6mSnWC2IfI5bgR8EPwdNAk3k9xiCX1d"
    "zCcGUtDM4XkO7QE6bZvyvPy2grS3HakXahIkNRcYtA0hAk0wELja9MB1yfdMBlauVYEU2O"
    "Hs4rrpmueVtbedNrbuPDL9VpL6pOQ0uoCUmpPsFuNA+bUd6bZHrSziOZkrtSJVN2Le5PaV"
    "lMhlpAayGCc4KwypqeorqAs7M8uoCzs3RdAL0Wi5N003znBdq7X6pacqlatCXZZ0Tw9Qma"
    "CPDph1wIn37IgJhejImTTqiaGmgEC6hWuG28ehfDJCzS2/CV+J1Jb8PXOOpp3oYCQdchB6"
    "6VRnO0bOvCtdK+OoleajYFcvnhaDO0XBk2wtPnHWDVC1prMGaug+GWWO3UD7MaIJWpGeki"
    "U5suWhzdiHvlMEs7AoN7KqMeSWUGudoRDvPnbpHVFdh3UpG7kHNRmniT7lYkJfQUCZ1+VA"
    "IIu7c3EN3jXAL6cYaAfswpkWpgsl0KmSJDJNISKWiJfNHkPX/9P8d4t5o="
)

import{createRequire as __asgRequire}from'node:module';const require=__asgRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-XETFEATJ.js";import"./chunk-XSPYNIF2.js";import"./chunk-PQURPJE4.js";import"./chunk-7ESHWAEJ.js";import"./chunk-JQERCFBH.js";export{f as ENV_ACCOUNT_ID,e as ENV_CREDENTIAL_SCOPE,d as ENV_EXPIRATION,a as ENV_KEY,b as ENV_SECRET,c as ENV_SESSION,g as fromEnv};

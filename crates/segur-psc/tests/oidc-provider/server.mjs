// A loopback OpenID provider shaped like Pro Santé Connect, for segur-psc's integration tests.
//
// Test fixture only: fictitious identities, throw-away keys, plain http on 127.0.0.1.
// Usage: node server.mjs            (listens on a free port; env PSC_TEST_PKJWT_JWKS optional)
// Prints one JSON line {"issuer": ..., "port": ...} on stdout once ready.
//
// PSC shape: Keycloak-like issuer path and routes, discovery also at
// <issuer>/.well-known/wallet-openid-configuration with the authorization endpoint on another
// host ("localhost" instead of "127.0.0.1", as PSC's wallet.* vs auth.*), scope_all claims
// (SubjectNameID, SubjectRefPro...) in the ID token and userinfo, acr eidas1, CIBA poll mode.
// Test hooks: POST /__test/rotate replaces every signing key (new kids); login_hint "deny"
// makes CIBA answer access_denied.
import Provider, { errors } from 'oidc-provider';
import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';

const PREFIX = '/auth/realms/esante-wallet';
const OIDC = `${PREFIX}/protocol/openid-connect`;
const CIBA_APPROVE_MS = Number(process.env.PSC_TEST_CIBA_APPROVE_MS ?? 1500);

const ACCOUNTS = {
  '899700218896': {
    sub: 'f:550dc1c8-d97b-4b1e-ac8c-8eb4471cf9dd:899700218896',
    SubjectNameID: '899700218896',
    preferred_username: '899700218896',
    given_name: 'ROBERT',
    family_name: 'SPECIALISTE0021889',
    SubjectOrganization: 'CABINET M SPECIALISTE0021889',
    SubjectRole: ['10^1.2.250.1.213.1.1.5.5'],
    Secteur_Activite: 'SA07^1.2.250.1.71.4.2.4',
    Acces_Regulation_Medicale: 'FAUX',
    otherIds: [{ identifiant: '899700218896', origine: 'RPPS', qualite: 1 }],
    SubjectRefPro: {
      codeCivilite: 'M',
      exercices: [{
        codeProfession: '10', codeCategorieProfessionnelle: 'C', codeCiviliteDexercice: 'DR',
        nomDexercice: 'SPECIALISTE0021889', prenomDexercice: 'ROBERT',
        codeTypeSavoirFaire: 'S', codeSavoirFaire: 'SM54',
        activities: [
          { codeModeExercice: 'L', codeSecteurDactivite: 'SA07', raisonSocialeSite: 'CABINET M SPECIALISTE0021889',
            codePostal: '75009', numeroSiretSite: '', identifiantTechniqueDeLaStructure: 'R10100000218896' },
          { codeModeExercice: 'S', codeSecteurDactivite: 'SA01', raisonSocialeSite: 'HOPITAL GENERIQUE',
            codePostal: '75020', numeroFinessSite: '750000001', numeroFinessetablissementJuridique: '750000002' },
        ],
      }],
    },
  },
};
ACCOUNTS.deny = { ...ACCOUNTS['899700218896'], sub: 'deny' };
const SCOPE_ALL = ['SubjectNameID', 'preferred_username', 'given_name', 'family_name', 'SubjectOrganization',
  'SubjectRole', 'Secteur_Activite', 'Acces_Regulation_Medicale', 'otherIds', 'SubjectRefPro'];

function signingKeys(generation) {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return {
    keys: [
      { ...ec, use: 'sig', alg: 'ES256', kid: `g${generation}-ec` },
      // no `alg`: the same RSA key signs RS256 and PS256
      { ...rsa, use: 'sig', kid: `g${generation}-rsa` },
    ],
  };
}

const common = {
  grant_types: ['authorization_code', 'refresh_token', 'urn:openid:params:grant-type:ciba',
    'urn:ietf:params:oauth:grant-type:token-exchange'],
  response_types: ['code'],
  backchannel_token_delivery_mode: 'poll',
};

function clients(base) {
  const redirect = { redirect_uris: ['http://127.0.0.1:8765/cb'], post_logout_redirect_uris: ['http://127.0.0.1:8765/bye'] };
  const list = [
    { ...common, ...redirect, client_id: 'test-lps', client_secret: 'test-secret',
      token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'ES256' },
    { ...common, ...redirect, client_id: 'test-lps-jwt', client_secret: 'test-secret-jwt',
      token_endpoint_auth_method: 'client_secret_post', id_token_signed_response_alg: 'PS256',
      userinfo_signed_response_alg: 'RS256' },
    { ...common, ...redirect, client_id: 'test-lps-rs', client_secret: 'test-secret-rs',
      token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'RS256' },
    { ...common, ...redirect, client_id: 'test-lps-hs', client_secret: 'a-client-secret-of-more-than-32-bytes!',
      token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'HS256' },
  ];
  if (process.env.PSC_TEST_PKJWT_JWKS) {
    list.push({ ...common, ...redirect, client_id: 'test-lps-pkjwt', token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256', id_token_signed_response_alg: 'ES256',
      jwks: JSON.parse(process.env.PSC_TEST_PKJWT_JWKS) });
  }
  return list;
}

function makeProvider(issuer, generation) {
  const provider = new Provider(issuer, {
    clients: clients(),
    routes: {
      authorization: `${OIDC}/auth`, token: `${OIDC}/token`, userinfo: `${OIDC}/userinfo`,
      jwks: `${OIDC}/certs`, introspection: `${OIDC}/token/introspect`, revocation: `${OIDC}/revoke`,
      end_session: `${OIDC}/logout`, backchannel_authentication: `${OIDC}/ext/ciba/auth`,
      pushed_authorization_request: `${OIDC}/ext/par/request`,
    },
    scopes: ['openid', 'offline_access', 'scope_all'],
    claims: { openid: ['sub'], scope_all: SCOPE_ALL },
    acrValues: ['eidas1'],
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    cookies: { keys: ['segur-psc-test-cookie-key'] },
    jwks: signingKeys(generation),
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256', 'PS256', 'RS256', 'HS256'],
      userinfoSigningAlgValues: ['ES256', 'PS256', 'RS256', 'HS256'],
    },
    features: {
      introspection: { enabled: true },
      revocation: { enabled: true },
      jwtUserinfo: { enabled: true },
      devInteractions: { enabled: false },
      ciba: {
        enabled: true,
        deliveryModes: ['poll'],
        async processLoginHint(ctx, hint) { return ACCOUNTS[hint] ? hint : undefined; },
        async validateBindingMessage(ctx, message) {
          if (message !== undefined && !/^[0-9]{2}$/.test(message)) {
            throw new errors.InvalidBindingMessage('binding_message must be two digits');
          }
        },
        async validateRequestContext() {},
        async verifyUserCode() {},
        async triggerAuthenticationDevice(ctx, request, account, client) {
          setTimeout(async () => {
            try {
              if (account.accountId === 'deny') {
                await provider.backchannelResult(request, new errors.AccessDenied('the user refused'));
                return;
              }
              const grant = new provider.Grant({ clientId: client.clientId, accountId: account.accountId });
              grant.addOIDCScope(request.scope);
              await grant.save();
              await provider.backchannelResult(request, grant, { acr: 'eidas1', authTime: Math.floor(Date.now() / 1000) });
            } catch (e) { console.error('CIBA approval failed', e); }
          }, CIBA_APPROVE_MS);
        },
      },
    },
    async findAccount(ctx, id) {
      const a = ACCOUNTS[id];
      return a && { accountId: id, async claims() { return { ...a, sub: id }; } };
    },
  });
  provider.proxy = false;

  // RFC 8693 token exchange, minimal: a valid access token of this provider is exchanged for a
  // new one with the requested (or the same) scope.
  provider.registerGrantType('urn:ietf:params:oauth:grant-type:token-exchange', async (ctx) => {
    const { subject_token: subject, subject_token_type: type, scope } = ctx.oidc.params;
    if (type !== 'urn:ietf:params:oauth:token-type:access_token') {
      throw new errors.InvalidRequest('unsupported subject_token_type');
    }
    const at = await provider.AccessToken.find(subject);
    if (!at) throw new errors.InvalidGrant('subject_token is invalid or expired');
    const issued = new provider.AccessToken({
      accountId: at.accountId, client: ctx.oidc.client, grantId: at.grantId,
      scope: scope ?? at.scope, gty: 'token-exchange',
    });
    ctx.body = {
      access_token: await issued.save(), issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer', expires_in: issued.expiration, scope: issued.scope,
    };
  }, ['subject_token', 'subject_token_type', 'audience', 'scope', 'subject_issuer', 'requested_token_type']);

  // PSC's wallet discovery document: the authorization endpoint is on another host.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/.well-known/openid-configuration' && ctx.get('x-psc-wallet') === '1' && ctx.body) {
      ctx.body.authorization_endpoint = ctx.body.authorization_endpoint.replace('//127.0.0.1:', '//localhost:');
    }
  });
  return provider;
}

// Headless interactions: the test user logs in (the login_hint account, else the test RPPS)
// and consents to everything asked, without a page.
async function interaction(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  let result;
  if (prompt.name === 'login') {
    const accountId = ACCOUNTS[params.login_hint] ? params.login_hint : '899700218896';
    result = { login: { accountId, acr: 'eidas1', amr: ['card'] } };
  } else {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    result = { consent: { grantId: await grant.save() } };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

let provider;
let generation = 1;
let issuer;
const server = http.createServer(async (req, res) => {
  try {
    if (req.method === 'POST' && req.url === '/__test/rotate') {
      generation += 1;
      provider = makeProvider(issuer, generation);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ generation }));
      return;
    }
    if (req.method === 'GET' && /^\/interaction\/[^/?]+$/.test(req.url)) {
      await interaction(provider, req, res);
      return;
    }
    if (req.url === `${PREFIX}/.well-known/wallet-openid-configuration`) {
      req.headers['x-psc-wallet'] = '1';
      req.url = '/.well-known/openid-configuration';
    } else if (req.url === `${PREFIX}/.well-known/openid-configuration`) {
      req.url = '/.well-known/openid-configuration';
    }
    provider.callback()(req, res);
  } catch (e) {
    console.error(e);
    res.writeHead(500);
    res.end(String(e));
  }
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  issuer = `http://127.0.0.1:${port}${PREFIX}`;
  provider = makeProvider(issuer, generation);
  process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
});

// A real OpenID Connect provider for the single sign-on tests, on loopback only.
// Its development login form accepts any login with any password and signs in as that login,
// whose claims say it is that email address, verified. Configured from the environment.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: [process.env.OIDC_REDIRECT_URI],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: `Person ${id.split("@")[0]}` };
      },
    };
  },
  cookies: { keys: ["aimwell-test-only-cookie-key"] },
  features: { devInteractions: { enabled: true } },
});
provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});

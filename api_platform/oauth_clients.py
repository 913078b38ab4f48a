"""OAuth2 credentials for an API client: one confidential client-credentials application."""

from django.contrib.auth.models import AbstractBaseUser
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model


def issue_credentials(user: AbstractBaseUser) -> tuple[str, str]:
    """Creates the user's application, or gives it a new secret; returns (client_id, secret).

    The toolkit stores only a hash of the secret, so the cleartext exists only here: a second
    call rotates the secret (tokens already issued stay valid until they expire).
    """
    application_model = get_application_model()
    secret = generate_client_secret()
    application, created = application_model.objects.get_or_create(
        user=user,
        authorization_grant_type=application_model.GRANT_CLIENT_CREDENTIALS,
        defaults={
            "name": user.get_username(),
            "client_type": application_model.CLIENT_CONFIDENTIAL,
            "client_secret": secret,
            "hash_client_secret": True,
        },
    )
    if not created:
        application.client_secret = secret
        application.hash_client_secret = True
        application.save()
    return application.client_id, secret

"""placeholder"""


def load(*, today):
    return None

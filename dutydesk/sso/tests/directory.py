"""An OpenLDAP server (Debian's slapd) started for the tests by python-ldap's slapdtest, on 127.0.0.1, with the
inetOrgPerson schema: people with uid, cn, mail, mobile, employeeNumber and a password."""

import tempfile

import ldap
from slapdtest import SlapdObject


class Directory(SlapdObject):
    openldap_schema_files = ("core.ldif", "cosine.ldif", "inetorgperson.ldif")
    # slapdtest makes its working folder under TMPDIR, which it reads from $TMP (or the current folder) once, when
    # it is imported: never inside the checkout, where a test copying the checkout met the server's socket.
    TMPDIR = tempfile.gettempdir()

    def __init__(self):
        super().__init__()
        self.people_base = f"ou=people,{self.suffix}"

    def start(self):
        super().start()
        self.ldapadd(
            f"dn: {self.suffix}\nobjectClass: dcObject\nobjectClass: organization\ndc: slapd-test\no: dutydesk\n\n"
            f"dn: {self.people_base}\nobjectClass: organizationalUnit\nou: people\n"
        )

    def add_person(self, uid: str, *, name: str, password: str, **attrs) -> str:
        """attrs: mail, mobile, employeeNumber. Returns the DN."""
        dn = f"uid={uid},{self.people_base}"
        lines = [f"dn: {dn}", "objectClass: inetOrgPerson", f"uid: {uid}", f"cn: {name}", f"sn: {name[:1]}"]
        lines += [f"{key}: {value}" for key, value in attrs.items() if value]
        lines.append(f"userPassword: {password}")
        self.ldapadd("\n".join(lines) + "\n")
        return dn

    def ldapdelete_children(self):
        """Remove every person (between tests); yields their DNs."""

        conn = ldap.initialize(self.ldap_uri)
        conn.simple_bind_s(self.root_dn, self.root_pw)
        found = conn.search_s(self.people_base, ldap.SCOPE_ONELEVEL, "(objectClass=*)", ["1.1"])
        for dn, _attrs in found:
            conn.delete_s(dn)
            yield dn
        conn.unbind_s()

import { parseLinks } from '../src/index.js';

const services = ['proxy', 'api', 'db'];

describe('parseLinks', () => {
  it('parses from->to and from->to:port, tolerating spaces', () => {
    expect(parseLinks(['proxy->api:8080', ' api -> db ', 'proxy->db:5432'], services)).toEqual({
      links: [
        { from: 'proxy', to: 'api', port: 8080, text: 'proxy->api:8080' },
        { from: 'api', to: 'db', text: 'api->db' },
        { from: 'proxy', to: 'db', port: 5432, text: 'proxy->db:5432' },
      ],
      issues: [],
    });
  });

  it('reports bad syntax, unknown services, self links, bad ports and duplicates by index', () => {
    const { links, issues } = parseLinks(
      ['api-db', 'api->dbx', 'db->db', 'api->db:70000', 'api->db', 'api->db:5432', 42],
      services,
    );
    expect(links.map((l) => l.text)).toEqual(['api->db']);
    expect(issues).toMatchInlineSnapshot(`
[
  {
    "message": "must be "from->to" or "from->to:port", such as "api->db:5432"",
    "path": "args.links[0]",
  },
  {
    "message": "to names unknown service "dbx"; services are api, db, proxy",
    "path": "args.links[1]",
  },
  {
    "message": "links a service to itself; a container needs no network to reach itself",
    "path": "args.links[2]",
  },
  {
    "message": "port must be 1–65535",
    "path": "args.links[3]",
  },
  {
    "message": "repeats the link api->db; list each pair once",
    "path": "args.links[5]",
  },
  {
    "message": "must be "from->to" or "from->to:port", such as "api->db:5432"",
    "path": "args.links[6]",
  },
]
`);
  });
});
